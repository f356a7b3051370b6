namespace HotDistance.Core.IO;

/// <summary>
/// An exclusive lock held as an open lock file, so that processes sharing a directory (several promoters,
/// several planners) take turns. The OS releases it if the holder dies.
/// </summary>
public sealed class DirectoryLock : IDisposable
{
    private readonly FileStream stream;

    private DirectoryLock(FileStream stream) => this.stream = stream;

    /// <summary>Waits up to <paramref name="timeout"/> (2 minutes by default) for the lock.</summary>
    /// <exception cref="TimeoutException">Another process held it all that time; the message says what to do.</exception>
    public static async Task<DirectoryLock> AcquireAsync(string directory, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, ".lock");
        var wait = timeout ?? TimeSpan.FromMinutes(2);
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            try
            {
                return new DirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(20, 80)), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException exception)
            {
                throw new TimeoutException(
                    $"{directory} stayed locked by another process for {wait.TotalSeconds:0} s (lock file {path}): wait for that process to finish " +
                    "(a large crop, a training) and try again, or look for one that hangs, e.g. on a stalled mount; the lock goes when its process ends",
                    exception);
            }
        }
    }

    public void Dispose() => stream.Dispose();
}
