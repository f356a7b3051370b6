namespace HotDistance.SiteAgent.Blockwise;

/// <summary>Blocks of a distributed job that predictors gave up on, each with its reason; the rest are done.</summary>
public sealed class BlocksFailedException : Exception
{
    public BlocksFailedException()
        : this([])
    {
    }

    public BlocksFailedException(string message)
        : base(message)
    {
        Failures = [];
    }

    public BlocksFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Failures = [];
    }

    public BlocksFailedException(IReadOnlyList<BlockFailure> failures)
        : base($"{failures.Count} block(s) failed: " + string.Join("; ", failures.Select(f => $"block {f.Index} on {f.Worker}: {f.Reason}")))
    {
        Failures = failures;
    }

    public IReadOnlyList<BlockFailure> Failures { get; }
}
