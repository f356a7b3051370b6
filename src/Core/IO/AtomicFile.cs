using System.Text.Json;

namespace HotDistance.Core.IO;

/// <summary>
/// Writes that either happen whole or not at all: a temporary file in the same directory, flushed to disk,
/// then renamed over the target. A reader never sees a half-written file.
/// </summary>
public static class AtomicFile
{
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Write(path, write, static (stream, action) => action(stream));
    }

    /// <summary>Writes <paramref name="content"/> as the whole file.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content) =>
        Write(path, content, static (stream, bytes) => stream.Write(bytes));

    // Generic over a state that may be a span, so bytes in a span (e.g. a pooled buffer) need no copy or closure.
    private static void Write<TState>(string path, TState state, WriteToStream<TState> write)
        where TState : allows ref struct
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream, state);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    public static void WriteJson<T>(string path, T value) =>
        Write(path, stream => JsonSerializer.Serialize(stream, value, Json));

    public static T? ReadJson<T>(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<T>(stream, Json);
    }

    /// <summary>Copies a file so that the target appears whole or not at all.</summary>
    public static void Copy(string source, string target) =>
        Write(target, output =>
        {
            using var input = File.OpenRead(source);
            input.CopyTo(output);
        });

    private delegate void WriteToStream<TState>(Stream stream, TState state)
        where TState : allows ref struct;
}
