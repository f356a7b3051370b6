using System.Globalization;
using System.Text;

namespace HotDistance.Core.Zarr;

/// <summary>
/// Writes a file so that readers see either the old content or the new, never a torn one: the bytes go to a
/// hidden temporary file in the same directory, which is then renamed over the target.
/// </summary>
internal static class ZarrFiles
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture,
            $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp"));
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    public static void WriteAllText(string path, string content) =>
        WriteAllBytes(path, Encoding.UTF8.GetBytes(content));
}
