namespace HotDistance.Cli;

/// <summary>What hd's exit status means, so scripts and schedulers can act on it.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The work ran and failed (a training error, a pipeline that did not finish in time).</summary>
    public const int Failure = 1;

    /// <summary>Bad arguments or bad input (a rejected crop, an unknown role).</summary>
    public const int BadInput = 2;

    /// <summary>Something hd depends on is missing or unreachable (libtorch, the broker).</summary>
    public const int Unavailable = 3;

    /// <summary>Stopped by Ctrl+C; rerun to resume.</summary>
    public const int Interrupted = 130;
}
