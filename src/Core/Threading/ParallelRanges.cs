using System.Collections.Concurrent;

namespace HotDistance.Core.Threading;

/// <summary>Splits a flat index range into chunks big enough that scheduling costs nothing noticeable.</summary>
internal static class ParallelRanges
{
    private const int MinChunk = 1 << 14;

    public static void For(int count, int maxDegreeOfParallelism, Action<int, int> body)
    {
        if (count <= MinChunk || maxDegreeOfParallelism == 1)
        {
            body(0, count);
            return;
        }

        var workers = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;
        var chunk = Math.Max(MinChunk, count / (workers * 4));
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Parallel.ForEach(Partitioner.Create(0, count, chunk), options, range => body(range.Item1, range.Item2));
    }

    public static void ValidateDegree(int maxDegreeOfParallelism)
    {
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxDegreeOfParallelism),
                maxDegreeOfParallelism,
                "use -1 for no limit or a positive number of threads");
        }
    }
}
