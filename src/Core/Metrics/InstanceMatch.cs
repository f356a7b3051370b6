namespace HotDistance.Core.Metrics;

/// <summary>A truth instance matched 1:1 to a predicted instance (original ids), their IoU and Hausdorff distance.</summary>
/// <param name="HausdorffNm">Symmetric Hausdorff distance in nm, capped at the crop's cap (see <see cref="InstanceEvaluation.HausdorffCapNm"/>).</param>
public sealed record InstanceMatch(uint TruthId, uint PredictionId, double IoU, double HausdorffNm);
