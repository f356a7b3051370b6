namespace HotDistance.Tests.Pipeline;

/// <summary>A clock the test moves by hand, so debounce windows need no sleeping.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
