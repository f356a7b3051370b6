namespace HotDistance.Evaluator.Nightly;

public enum NightlyOutcome
{
    /// <summary>This instance ran the night.</summary>
    Ran,

    /// <summary>Another run (another instance, or an earlier start) already claimed the night.</summary>
    AlreadyClaimed,

    /// <summary>At start-up: no firing was missed since the last run.</summary>
    NothingMissed,

    Disabled,
}
