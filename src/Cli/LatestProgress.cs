namespace HotDistance.Cli;

/// <summary>
/// Keeps only the newest report from a worker thread; a progress bar reads it on its own schedule.
/// (<see cref="Progress{T}"/> would queue every report to the thread pool, out of order.)
/// </summary>
public sealed class LatestProgress<T> : IProgress<T>
    where T : class
{
    private T? latest;

    public T? Current => Volatile.Read(ref latest);

    public void Report(T value) => Volatile.Write(ref latest, value);
}
