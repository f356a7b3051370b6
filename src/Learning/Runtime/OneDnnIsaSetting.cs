namespace HotDistance.Learning.Runtime;

/// <summary>The highest instruction set oneDNN may use in this process (null: uncapped), and why.</summary>
public sealed record OneDnnIsaSetting(string? MaxIsa, string Reason);
