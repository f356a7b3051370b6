namespace HotDistance.Core.IO;

/// <summary>
/// An exclusive lock held as an open lock file, so that processes sharing a directory (several promoters,
/// several planners) take turns. The OS releases it if the holder dies.
/// </summary>
public sealed class DirectoryLock : IDisposable
{
    private readonly FileStream stream;

    private DirectoryLock(FileStream stream) => this.stream = stream;

    public static async Task<DirectoryLock> AcquireAsync(string directory, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, ".lock");
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
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
        }
    }

    public void Dispose() => stream.Dispose();
}
