namespace HotDistance.SiteAgent.Blockwise;

/// <summary>
/// The record that predictor <see cref="Worker"/> gave up on block <see cref="Index"/> of a distributed job, written as
/// <c>.hd-blocks/failed/&lt;index&gt;.json</c> once the message's retries are spent, so the command waiting on the job
/// shows the failure with its reason instead of waiting for a block that will not come. A rerun clears them.
/// </summary>
public sealed record BlockFailure(int Index, string Worker, string Reason, DateTimeOffset At);
