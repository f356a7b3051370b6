using System.Diagnostics;
using HotDistance.Contracts;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Ingest;
using MassTransit.Testing;

namespace HotDistance.Tests.Ingest;

/// <summary>
/// Input is never read, counted or copied through a symbolic link or a special file: a link anywhere in a crop (a
/// chunk, an array, the crop folder itself, a link loop) or a FIFO in place of a chunk is refused at once with the
/// entry named, quarantine copies nothing of it, and nothing a link points at ends up in the workspace.
/// </summary>
public class UnsafeInputEntriesTests
{
    private const string Secret = "root:x:0:0:not-for-the-workspace";

    public static TheoryData<string> Cases() => ["chunk", "array", "crop folder", "loops", "fifo"];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_crop_holding_a_link_is_refused_naming_it_and_nothing_behind_the_link_is_copied(string where)
    {
        using var temp = new TempDirectory();
        await using var pipeline = await IngestPipeline.StartAsync(temp.Combine("workspace"));
        var secret = temp.Combine("outside", "passwd");
        Directory.CreateDirectory(Path.GetDirectoryName(secret)!);
        await File.WriteAllTextAsync(secret, Secret);
        var source = Dataset(temp, "crop");
        var mito = Path.Combine(CellMapLayout.CropPath(source, "crop1"), SyntheticCropGenerator.Mito);
        string link;
        switch (where)
        {
            case "chunk":
                link = Directory.EnumerateFiles(Path.Combine(mito, "s0"), "*", SearchOption.AllDirectories).First(f => !Path.GetFileName(f).StartsWith('.'));
                File.Delete(link);
                File.CreateSymbolicLink(link, secret);
                break;
            case "array":
                var elsewhere = Path.Combine(CellMapLayout.CropPath(Dataset(temp, "other"), "crop1"), SyntheticCropGenerator.Mito);
                Directory.Delete(mito, recursive: true);
                link = mito;
                Directory.CreateSymbolicLink(link, elsewhere);
                break;
            case "crop folder":
                link = temp.Combine("incoming", "linked.zarr");
                Directory.CreateSymbolicLink(link, source);
                source = link;
                break;
            case "fifo":
                // Opening a FIFO blocks until someone writes to it: a reader that opened it would hang here.
                link = Directory.EnumerateFiles(Path.Combine(mito, "s0"), "*", SearchOption.AllDirectories).First(f => !Path.GetFileName(f).StartsWith('.'));
                File.Delete(link);
                using (var mkfifo = Process.Start("mkfifo", [link]))
                {
                    await mkfifo.WaitForExitAsync();
                    Assert.Equal(0, mkfifo.ExitCode);
                }

                break;
            default:
                link = Path.Combine(mito, "loop-a");
                Directory.CreateSymbolicLink(link, mito);
                Directory.CreateSymbolicLink(Path.Combine(mito, "loop-b"), Path.Combine(mito, "loop-c"));
                Directory.CreateSymbolicLink(Path.Combine(mito, "loop-c"), Path.Combine(mito, "loop-b"));
                break;
        }

        var clock = Stopwatch.StartNew();
        var outcome = Assert.Single(await pipeline.IngestAsync(source));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"ingest took {clock.Elapsed}");
        Assert.Equal(IngestOutcome.Rejected, outcome.Status);
        Assert.Contains(where == "fifo" ? "is a FIFO" : "is a symbolic link", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains(where == "loops" ? "/loop-" : Path.GetFileName(link), outcome.Reason, StringComparison.Ordinal);
        var folder = Assert.Single(Directory.EnumerateDirectories(pipeline.Workspace.Quarantine));
        Assert.Equal([Quarantine.ReasonJson, Quarantine.ReasonText], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in Directory.EnumerateFiles(pipeline.Workspace.Root, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(Secret, await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }

        Assert.Empty(pipeline.Store.List());
        Assert.False(await pipeline.Harness.Published.Any<CropIngested>());
    }

    private static string Dataset(TempDirectory temp, string name)
    {
        var crop = SyntheticCropGenerator.Generate(new SyntheticCropSpec(
            name, 5, new Shape3(12, 12, 12), VoxelSize.Isotropic(8), [SyntheticCropGenerator.Mito, SyntheticCropGenerator.Er]));
        var path = temp.Combine("incoming", $"{name}.zarr");
        CellMapCropWriter.Write(crop, path, "crop1", chunkSize: 8);
        return path;
    }
}
