namespace HotDistance.Core.Tracking;

/// <summary>How a tracked run ended.</summary>
public enum TrackedRunOutcome
{
    Finished,

    /// <summary>The work failed (diverged, an error); the run records the reason.</summary>
    Failed,

    /// <summary>The work was stopped before its end (the host stopped); a resumed job reopens the run.</summary>
    Killed,
}
