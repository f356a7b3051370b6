namespace HotDistance.Core.Threading;

/// <summary>
/// Reports on the reporting thread, in order (System.Progress posts each report to the thread pool, where they can
/// arrive out of order or after the work ended).
/// </summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
