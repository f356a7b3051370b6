using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;

namespace HotDistance.Tests.Ingest;

/// <summary>
/// A folder of crafted inputs, each a way to make ingest read outside its input, copy a secret, allocate without
/// bound, hang or crash, with the words its one-line refusal must hold. Links point at the real <c>/etc</c> and at
/// a secret folder beside the inputs, whose <see cref="Secret"/> must never reach the workspace.
/// </summary>
internal static class HostileInputs
{
    public const string Secret = "root:x:0:0:hostile-input-canary";

    /// <summary>Gzip of this many zero bytes (about 0.5 MB on disk) stands in for a label chunk of a few KiB.</summary>
    private const int BombBytes = 512 << 20;

    /// <summary>Writes the inputs under <paramref name="folder"/> and returns each input's name and what its refusal names.</summary>
    public static IReadOnlyList<(string Name, string Expected)> Write(string folder, string secrets)
    {
        Directory.CreateDirectory(folder);
        Directory.CreateDirectory(secrets);
        var secret = Path.Combine(secrets, "passwd");
        File.WriteAllText(secret, Secret);
        var inputs = new List<(string, string)>();

        Directory.CreateSymbolicLink(Path.Combine(folder, "etc.zarr"), "/etc");
        inputs.Add(("etc.zarr", "is a symbolic link"));

        var chunkLink = Crop(folder, "chunk-link.zarr");
        var chunk = FirstChunk(Mito(chunkLink));
        File.Delete(chunk);
        File.CreateSymbolicLink(chunk, "/etc/passwd");
        inputs.Add(("chunk-link.zarr", "is a symbolic link"));

        var arrayLink = Crop(folder, "array-link.zarr");
        Directory.Delete(Mito(arrayLink), recursive: true);
        Directory.CreateSymbolicLink(Mito(arrayLink), secrets);
        inputs.Add(("array-link.zarr", "is a symbolic link"));

        var loop = Crop(folder, "link-loop.zarr");
        Directory.CreateSymbolicLink(Path.Combine(Mito(loop), "loop-b"), Path.Combine(Mito(loop), "loop-c"));
        Directory.CreateSymbolicLink(Path.Combine(Mito(loop), "loop-c"), Path.Combine(Mito(loop), "loop-b"));
        inputs.Add(("link-loop.zarr", "is a symbolic link"));

        var fifo = Crop(folder, "fifo.zarr");
        chunk = FirstChunk(Mito(fifo));
        File.Delete(chunk);
        using (var mkfifo = Process.Start("mkfifo", [chunk]))
        {
            mkfifo.WaitForExit();
        }

        inputs.Add(("fifo.zarr", "is a FIFO"));

        // The mito level's dataset path climbs out of the crop into the secret folder.
        var traversal = Crop(folder, "traversal.zarr");
        EditJson(Path.Combine(Mito(traversal), ".zattrs"), root => root["multiscales"]![0]!["datasets"]![0]!["path"] = Path.GetRelativePath(Mito(traversal), secrets));
        inputs.Add(("traversal.zarr", "which is not inside its group"));

        // One gzip chunk that inflates to 512 MiB where a chunk of 8^3 bytes belongs.
        var bomb = Crop(folder, "gzip-bomb.zarr");
        var bombArray = Path.Combine(Mito(bomb), "s0");
        EditJson(Path.Combine(bombArray, ".zarray"), array => array["compressor"] = new JsonObject { ["id"] = "gzip", ["level"] = 1 });
        foreach (var file in Chunks(bombArray))
        {
            File.Delete(file);
        }

        WriteGzipOfZeros(ZarrArray.Open(bombArray).ChunkPath([0, 0, 0]), BombBytes);
        inputs.Add(("gzip-bomb.zarr", "decodes to more bytes"));

        // Every class on one huge grid, so the size is the crop's only problem.
        var huge = Crop(folder, "huge-shape.zarr");
        foreach (var className in Classes)
        {
            EditJson(Path.Combine(Class(huge, className), "s0", ".zarray"), array => array["shape"] = new JsonArray(1_000_000, 1_000_000, 1_000_000));
        }

        inputs.Add(("huge-shape.zarr", "a crop may hold"));

        EditJson(Path.Combine(Mito(Crop(folder, "axis-over-int.zarr")), "s0", ".zarray"), array => array["shape"] = new JsonArray(3_000_000_000L, 12, 12));
        inputs.Add(("axis-over-int.zarr", "voxels along an axis"));

        // A semantic class under a name of 240 characters (under the 255 a file name may have) the pipeline does not list.
        var longClass = Crop(folder, "long-class.zarr");
        Directory.Move(Class(longClass, SyntheticCropGenerator.Er), Path.Combine(Path.GetDirectoryName(Mito(longClass))!, new string('c', 240)));
        inputs.Add(("long-class.zarr", "not one of the pipeline's classes"));

        return inputs;
    }

    /// <summary>A valid 12^3 CellMap crop (mito and er annotated) at <paramref name="folder"/>/<paramref name="name"/>.</summary>
    public static string Crop(string folder, string name, int seed = 5)
    {
        var crop = SyntheticCropGenerator.Generate(new SyntheticCropSpec(
            Path.GetFileNameWithoutExtension(name), seed, new Shape3(12, 12, 12), VoxelSize.Isotropic(8), Classes));
        var path = Path.Combine(folder, name);
        CellMapCropWriter.Write(crop, path, "crop1", chunkSize: 8);
        return path;
    }

    private static readonly string[] Classes = [SyntheticCropGenerator.Mito, SyntheticCropGenerator.Er];

    private static string Class(string crop, string className) => Path.Combine(CellMapLayout.CropPath(crop, "crop1"), className);

    private static string Mito(string crop) => Class(crop, SyntheticCropGenerator.Mito);

    private static List<string> Chunks(string array) =>
        Directory.EnumerateFiles(array, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.')).ToList();

    private static string FirstChunk(string mito) => Chunks(Path.Combine(mito, "s0")).First();

    private static void EditJson(string path, Action<JsonNode> edit)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        edit(root);
        File.WriteAllText(path, root.ToJsonString());
    }

    private static void WriteGzipOfZeros(string path, int bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        var zeros = new byte[1 << 20];
        for (var written = 0; written < bytes; written += zeros.Length)
        {
            gzip.Write(zeros);
        }
    }
}
