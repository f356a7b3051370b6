using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace HotDistance.Tests.Zarr;

/// <summary>The arrays written by Fixtures/make_zarr_fixtures.py with zarr-python, and their exact values.</summary>
internal static class ZarrFixtures
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "zarr");

    public static IReadOnlyList<FixtureArray> All { get; } = Load();

    public static FixtureArray Get(string name) => All.Single(a => a.Name == name);

    private static List<FixtureArray> Load()
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "expected.json")))!;
        return root["arrays"]!.AsArray().Select(node => new FixtureArray(
            node!["name"]!.GetValue<string>(),
            Path.Combine(Root, node["path"]!.GetValue<string>()),
            node["dtype"]!.GetValue<string>(),
            node["shape"]!.AsArray().Select(n => n!.GetValue<long>()).ToArray(),
            Path.Combine(Root, node["expected"]!.GetValue<string>()),
            node["missing_chunks"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray())).ToList();
    }
}

internal sealed record FixtureArray(string Name, string Path, string DType, long[] Shape, string ExpectedFile, string[] MissingChunks)
{
    public T[] Expected<T>() where T : unmanaged
    {
        using var gzip = new GZipStream(File.OpenRead(ExpectedFile), CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        return MemoryMarshal.Cast<byte, T>(bytes.ToArray()).ToArray();
    }

    public override string ToString() => Name;
}
