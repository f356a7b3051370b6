namespace HotDistance.Evaluator;

/// <summary>A difference of overall scores on all crops and its bootstrap interval.</summary>
public sealed record BootstrapInterval(double Difference, double Lower, double Upper, int Resamples);
