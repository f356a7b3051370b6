namespace HotDistance.Core;

/// <summary>
/// Marks an exception that would fail the same way on every retry (invalid or untrusted data, a diverged training,
/// a damaged checkpoint): a consumer that throws one faults at once instead of retrying.
/// </summary>
public interface IPermanentFailure;
