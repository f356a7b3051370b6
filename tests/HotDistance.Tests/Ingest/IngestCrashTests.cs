using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Ingest;
using MassTransit.Testing;

namespace HotDistance.Tests.Ingest;

/// <summary>
/// A crash between any two ingest steps leaves the store with nothing of the crop or all of it, and ingesting
/// again finishes the job: the crop is stored once and announced once.
/// </summary>
public class IngestCrashTests
{
    public static TheoryData<string> Steps() => new([.. CropStore.Steps, CropIngestor.StoredStep]);

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task A_crash_after_a_step_leaves_nothing_or_everything_and_a_retry_completes(string step)
    {
        using var temp = new TempDirectory();
        await using var pipeline = await IngestPipeline.StartAsync(temp.Combine("workspace"));
        var crop = SyntheticCropGenerator.Generate(new SyntheticCropSpec("crashy", 9, new Shape3(12, 12, 12), VoxelSize.Isotropic(8), [SyntheticCropGenerator.Mito]));
        var path = temp.Combine("incoming", "crashy.zarr");
        CellMapCropWriter.Write(crop, path, "crop1");

        void Crash(string at)
        {
            if (at == step)
            {
                throw new InjectedCrashException(at);
            }
        }

        pipeline.Store.AfterStep = Crash;
        await Assert.ThrowsAsync<InjectedCrashException>(() => pipeline.IngestAsync(path, Crash));
        pipeline.Store.AfterStep = null;

        var storedBeforeRetry = pipeline.Store.List();
        var movedIntoPlace = Array.IndexOf([.. CropStore.Steps, CropIngestor.StoredStep], step) >= 2;
        if (movedIntoPlace)
        {
            // Everything: the whole crop, readable.
            var entry = Assert.Single(storedBeforeRetry);
            Assert.Equal(crop.Labels[SyntheticCropGenerator.Mito].Mask.Data, pipeline.Store.Load(entry.CropId).Labels[SyntheticCropGenerator.Mito].Mask.Data);
        }
        else
        {
            // Nothing: no entry and no directory a reader could mistake for a crop.
            Assert.Empty(storedBeforeRetry);
            Assert.DoesNotContain(Directory.EnumerateDirectories(pipeline.Store.Root), d => !Path.GetFileName(d).StartsWith('.'));
        }

        Assert.False(await pipeline.Harness.Published.Any<CropIngested>());

        // A process killed mid-staging leaves its staging folder behind; readers ignore it and the next add removes it.
        var abandoned = Path.Combine(pipeline.Store.Root, CropStore.StagingPrefix + "killed");
        Directory.CreateDirectory(Path.Combine(abandoned, CropStore.ZarrName));
        Assert.Equal(storedBeforeRetry.Count, pipeline.Store.List().Count);

        var retry = Assert.Single(await pipeline.IngestAsync(path));

        Assert.Equal(movedIntoPlace ? IngestOutcome.Duplicate : IngestOutcome.Added, retry.Status);
        var stored = Assert.Single(pipeline.Store.List());
        Assert.Equal(retry.CropId, stored.CropId);
        Assert.True(pipeline.Store.IsAnnounced(stored.CropId));
        Assert.Equal(stored.CropId, Assert.Single(pipeline.Harness.Published.Select<CropIngested>()).Context.Message.CropId);
        Assert.Empty(Directory.EnumerateDirectories(pipeline.Store.Root, CropStore.StagingPrefix + "*"));

        // And from now on the crop is simply a duplicate: no further announcement.
        Assert.Equal(IngestOutcome.Duplicate, Assert.Single(await pipeline.IngestAsync(path)).Status);
        Assert.Single(pipeline.Harness.Published.Select<CropIngested>());
    }

    private sealed class InjectedCrashException(string step) : Exception($"injected crash after {step}");
}
