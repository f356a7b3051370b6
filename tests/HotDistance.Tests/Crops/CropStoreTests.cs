using HotDistance.Core.Crops;
using HotDistance.Core.IO;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;

namespace HotDistance.Tests.Crops;

public class CropStoreTests
{
    private const string Mito = SyntheticCropGenerator.Mito;
    private const string Er = SyntheticCropGenerator.Er;

    private static Crop Synthetic(int seed, params string[] classes) =>
        SyntheticCropGenerator.Generate(new SyntheticCropSpec($"crop-{seed}", seed, new Shape3(16, 16, 16), new VoxelSize(8, 6, 6), classes));

    private static string[] CropDirectories(string root) =>
        Directory.EnumerateDirectories(root).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task A_name_with_terminal_escapes_and_no_end_is_stored_printable_and_bounded()
    {
        using var temp = new TempDirectory();
        var store = new CropStore(temp.Combine("crops"), heldOutFraction: 0.25);
        var synthetic = Synthetic(3, Mito);
        var crop = new Crop
        {
            Name = "\u001b]0;owned\u0007\u001b[31mred\u001b[0m/" + new string('x', 500),
            Raw = synthetic.Raw,
            RawMaximum = synthetic.RawMaximum,
            VoxelSize = synthetic.VoxelSize,
            OffsetNm = synthetic.OffsetNm,
            Labels = synthetic.Labels,
        };

        var (entry, _) = await store.AddAsync(crop, null, CancellationToken.None);

        Assert.DoesNotContain(entry.Name, char.IsControl);
        Assert.StartsWith("?]0;owned??[31mred?[0m/xxx", entry.Name, StringComparison.Ordinal);
        Assert.Equal(200, entry.Name.Length);
        Assert.Equal(entry.Name, Assert.Single(store.List()).Name);
    }

    [Fact]
    public async Task The_same_crop_added_twice_is_stored_once_under_one_id()
    {
        using var temp = new TempDirectory();
        var store = new CropStore(temp.Combine("crops"), heldOutFraction: 0.25);
        var crop = Synthetic(1, Mito, Er);

        var (first, firstAdded) = await store.AddAsync(crop, null, CancellationToken.None);
        var (second, secondAdded) = await store.AddAsync(Synthetic(1, Mito, Er), CropSplits.HeldOut, CancellationToken.None);

        Assert.True(firstAdded);
        Assert.False(secondAdded);
        Assert.Equal(first.CropId, second.CropId);
        Assert.Equal(first.ContentHash, second.ContentHash);
        Assert.Equal(CropContentHash.Compute(crop), first.ContentHash);

        // The duplicate keeps its original split even when asked for another.
        Assert.Equal(first.Split, second.Split);
        Assert.Equal([first.CropId], CropDirectories(store.Root));
        Assert.Equal([first.CropId], store.List().Select(c => c.CropId).ToArray());
    }

    [Fact]
    public async Task An_add_that_waits_too_long_for_the_store_lock_fails_with_the_reason_and_stores_nothing()
    {
        using var temp = new TempDirectory();
        var root = temp.Combine("crops");
        var store = new CropStore(root, heldOutFraction: 0.25) { LockTimeout = TimeSpan.FromMilliseconds(300) };
        var crop = Synthetic(2, Mito);

        using (await DirectoryLock.AcquireAsync(root, CancellationToken.None))
        {
            var error = await Assert.ThrowsAsync<TimeoutException>(() => store.AddAsync(crop, null, CancellationToken.None));

            Assert.Contains($"{root} stayed locked by another process", error.Message, StringComparison.Ordinal);
            Assert.Contains("wait for that process to finish", error.Message, StringComparison.Ordinal);
            Assert.Empty(store.List());
        }

        var (_, added) = await store.AddAsync(crop, null, CancellationToken.None);
        Assert.True(added);
    }

    [Fact]
    public async Task Concurrent_adds_of_one_crop_store_it_once()
    {
        using var temp = new TempDirectory();
        var store = new CropStore(temp.Combine("crops"), heldOutFraction: 0.25);
        var crop = Synthetic(2, Mito);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => store.AddAsync(crop, null, CancellationToken.None))));

        Assert.Single(results, r => r.Added);
        Assert.Single(results.Select(r => r.Entry.CropId).Distinct());
        Assert.Single(CropDirectories(store.Root));
    }

    [Fact]
    public async Task Splits_give_each_class_a_training_crop_first_then_a_held_out_one()
    {
        using var temp = new TempDirectory();
        var store = new CropStore(temp.Combine("crops"), heldOutFraction: 0.25);

        async Task<string> SplitOf(Crop crop, string? requested = null) => (await store.AddAsync(crop, requested, CancellationToken.None)).Entry.Split;

        Assert.Equal(CropSplits.Train, await SplitOf(Synthetic(10, Mito)));
        Assert.Equal(CropSplits.HeldOut, await SplitOf(Synthetic(11, Mito)));

        // A crop bringing a class with no training crop yet goes to training, even if its other class has both.
        Assert.Equal(CropSplits.Train, await SplitOf(Synthetic(12, Mito, Er)));
        Assert.Equal(CropSplits.HeldOut, await SplitOf(Synthetic(13, Er)));

        // An explicit split is honoured over the rules.
        Assert.Equal(CropSplits.Train, await SplitOf(Synthetic(14, Er), CropSplits.Train));

        var fresh = new CropStore(temp.Combine("other"), heldOutFraction: 0.25);
        Assert.Equal(CropSplits.HeldOut, (await fresh.AddAsync(Synthetic(15, Mito), CropSplits.HeldOut, CancellationToken.None)).Entry.Split);

        // The split is recorded, not recomputed: listing reports what was assigned.
        Assert.Equal(
            [CropSplits.Train, CropSplits.HeldOut, CropSplits.Train, CropSplits.HeldOut, CropSplits.Train],
            store.List().Select(c => c.Split).ToArray());
    }

    [Fact]
    public async Task A_class_is_held_out_on_its_second_crop_even_when_that_crop_is_another_classs_first()
    {
        using var temp = new TempDirectory();
        var store = new CropStore(temp.Combine("crops"), heldOutFraction: 0.0);

        async Task<string> SplitOf(Crop crop) => (await store.AddAsync(crop, null, CancellationToken.None)).Entry.Split;

        Assert.Equal(CropSplits.Train, await SplitOf(Synthetic(30, Er)));

        // Er's second crop, mito's first: Er gets its held-out coverage now; mito trains on its next crop.
        Assert.Equal(CropSplits.HeldOut, await SplitOf(Synthetic(31, Mito, Er)));
        Assert.Equal(CropSplits.Train, await SplitOf(Synthetic(32, Mito)));
    }

    [Fact]
    public async Task Beyond_the_first_crops_the_split_follows_the_content_hash()
    {
        using var temp = new TempDirectory();
        var everyOther = new CropStore(temp.Combine("all-held-out"), heldOutFraction: 1.0);
        var none = new CropStore(temp.Combine("none-held-out"), heldOutFraction: 0.0);
        foreach (var store in new[] { everyOther, none })
        {
            await store.AddAsync(Synthetic(20, Mito), null, CancellationToken.None);
            await store.AddAsync(Synthetic(21, Mito), null, CancellationToken.None);
        }

        Assert.Equal(CropSplits.HeldOut, (await everyOther.AddAsync(Synthetic(22, Mito), null, CancellationToken.None)).Entry.Split);
        Assert.Equal(CropSplits.Train, (await none.AddAsync(Synthetic(22, Mito), null, CancellationToken.None)).Entry.Split);
    }

    [Fact]
    public async Task A_stored_crop_loads_back_with_its_raw_at_uint8_precision_and_its_labels_intact()
    {
        using var temp = new TempDirectory();
        var store = new CropStore(temp.Combine("crops"), heldOutFraction: 0.25);
        var crop = Synthetic(30, Mito, Er);
        var withOffset = new Crop { Name = crop.Name, Raw = crop.Raw, VoxelSize = crop.VoxelSize, OffsetNm = [80, 60, 30], Labels = crop.Labels };

        var (entry, _) = await store.AddAsync(withOffset, null, CancellationToken.None);
        var loaded = store.Load(entry.CropId);

        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Root, ".staging-*"));
        Assert.Equal(Path.Combine(store.Root, entry.CropId), store.Get(entry.CropId).Path);
        Assert.Equal(crop.Name, loaded.Name);
        Assert.Equal(crop.Shape, loaded.Shape);
        Assert.Equal(crop.VoxelSize, loaded.VoxelSize);
        Assert.Equal(withOffset.OffsetNm, loaded.OffsetNm);
        Assert.Equal([Er, Mito], entry.Classes);

        // Raw is stored as uint8, so what comes back is the original rounded to 1/255.
        var expected = crop.Raw.Data.Select(v => MathF.Round(Math.Clamp(v, 0f, 1f) * 255f) / 255f).ToArray();
        Assert.Equal(expected, loaded.Raw.Data);
        Assert.Contains(crop.Raw.Data, v => MathF.Round(v * 255f) / 255f != v);

        Assert.Equal(crop.Labels.Keys.Order(StringComparer.Ordinal), loaded.Labels.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, labels) in crop.Labels)
        {
            Assert.Equal(labels.Mask.Data, loaded.Labels[name].Mask.Data);
            Assert.Equal(labels.IsInstance, loaded.Labels[name].IsInstance);
            Assert.Equal(labels.Instances?.Data, loaded.Labels[name].Instances?.Data);
        }
    }

    [Fact]
    public void Asking_for_a_crop_the_store_does_not_hold_names_the_fix()
    {
        using var temp = new TempDirectory();
        var store = new CropStore(temp.Combine("crops"), heldOutFraction: 0.25);

        Assert.Empty(store.List());
        var missing = Assert.Throws<FileNotFoundException>(() => store.Load("c000000000000"));
        Assert.Contains("c000000000000", missing.Message, StringComparison.Ordinal);
        Assert.Contains("ingest", missing.Message, StringComparison.Ordinal);
    }
}
