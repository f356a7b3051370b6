using System.Globalization;
using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Core.Metrics;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Evaluator;
using HotDistance.Learning.Training;
using HotDistance.SiteAgent;
using HotDistance.Tests.Zarr;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace HotDistance.Tests.Learning;

/// <summary>
/// 12-bit data stored as uint16, the common case for FIB-SEM detectors, next to the same data stored as uint8: with
/// percentile normalisation both reach the network on the same scale, so both learn alike. zarr-python writes the
/// 12-bit copies; both go through the crop store, the trainer and the evaluator's scorer, and the site's
/// <see cref="LoadedModel"/> segments the two copies alike.
/// </summary>
[Collection(LearningRunsDefinition.Name)]
public sealed class TwelveBitLearningTests(ITestOutputHelper output)
{
    private const int TrainingCrops = 4;
    private const int HeldOutCrops = 2;
    private const double RequiredDice = 0.8;
    private const double AllowedDiceGap = 0.03;

    private static readonly TrainingSettings Settings = LearningTests.Settings with
    {
        Steps = 400,
        Intensity = IntensityNormalization.Percentiles(),
    };

    /// <summary>Copies each uint8 CellMap dataset under argv[1] to argv[2] with its raw as 12-bit values in uint16.</summary>
    private const string TwelveBitCopies = """
        import os, shutil, sys
        import numpy as np, zarr
        source, target = sys.argv[1], sys.argv[2]
        for name in sorted(os.listdir(source)):
            shutil.copytree(os.path.join(source, name), os.path.join(target, name))
            em = os.path.join(target, name, "recon-1", "em")
            eight = zarr.open_group(os.path.join(em, "fibsem-uint8"), mode="r")
            values = eight["s0"][...]
            attrs = dict(eight.attrs)
            shutil.rmtree(os.path.join(em, "fibsem-uint8"))
            group = zarr.open_group(os.path.join(em, "fibsem-uint16"), mode="w")
            attrs["multiscales"][0]["name"] = "fibsem-uint16"
            group.attrs.update(attrs)
            twelve = np.round(values.astype(np.float64) * 4095 / 255).astype("<u2")
            group.create_dataset("s0", data=twelve, chunks=(16, 16, 16), dtype="<u2")
            print(name, int(twelve.min()), int(twelve.max()))
        """;

    [Fact]
    public async Task A_12_bit_crop_stored_as_uint16_learns_as_well_as_the_same_data_stored_as_uint8()
    {
        using var temp = new TempDirectory();
        var eightBitFolder = Path.Combine(temp.Path, "uint8");
        var twelveBitFolder = Path.Combine(temp.Path, "uint16");
        for (var i = 0; i < TrainingCrops + HeldOutCrops; i++)
        {
            var crop = SyntheticCropGenerator.Generate(new SyntheticCropSpec(
                $"depth-{i}", Seed: 700 + i, new Shape3(32, 32, 32), VoxelSize.Isotropic(8), [SyntheticCropGenerator.Mito]));
            CellMapCropWriter.Write(crop, Path.Combine(eightBitFolder, $"depth-{i}.zarr"), "crop1");
        }

        ZarrPython.Run(TwelveBitCopies, eightBitFolder, twelveBitFolder);
        var store = new CropStore(Path.Combine(temp.Path, "store"), heldOutFraction: 0.25);
        var eightBit = await StoreAll(store, eightBitFolder);
        var twelveBit = await StoreAll(store, twelveBitFolder);

        // The store keeps all 4096 levels: the raw comes back as the very values zarr-python wrote.
        for (var i = 0; i < eightBit.Count; i++)
        {
            Assert.Equal(RawIntensity.UInt16Maximum, twelveBit[i].RawMaximum);
            var expected = RawIntensity.ToUInt8(eightBit[i].Raw.Data).Select(v => (ushort)Math.Round(v * 4095.0 / 255)).ToArray();
            Assert.Equal(expected, RawIntensity.ToUInt16(twelveBit[i].Raw.Data));
        }

        var eightBitDice = await TrainAndScore(eightBit, Path.Combine(temp.Path, "train-uint8"));
        var twelveBitDice = await TrainAndScore(twelveBit, Path.Combine(temp.Path, "train-uint16"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"held-out mito Dice: uint8 {eightBitDice.Dice:F4}, 12-bit in uint16 {twelveBitDice.Dice:F4}"));

        Assert.True(eightBitDice.Dice > RequiredDice, $"uint8 crops reached held-out Dice {eightBitDice.Dice:F3}; it must exceed {RequiredDice}");
        Assert.True(
            Math.Abs(twelveBitDice.Dice - eightBitDice.Dice) <= AllowedDiceGap,
            string.Create(CultureInfo.InvariantCulture, $"12-bit crops reached held-out Dice {twelveBitDice.Dice:F3} against {eightBitDice.Dice:F3} for the same data as uint8; they must be within {AllowedDiceGap}"));

        // A site runs the 12-bit model on either copy of a held-out crop and sees the same thing.
        using var model = LoadedModel.FromDirectory(Path.Combine(temp.Path, "train-uint16", VariantTrainer.FinalDirectory), version: null, expectedSha256: null);
        var heldOut = TrainingCrops;
        var onTwelve = model.Segment(twelveBit[heldOut].Raw, twelveBit[heldOut].RawMaximum, null, [], CPU).Classes[SyntheticCropGenerator.Mito].Mask.Data;
        var onEight = model.Segment(eightBit[heldOut].Raw, eightBit[heldOut].RawMaximum, null, [], CPU).Classes[SyntheticCropGenerator.Mito].Mask.Data;
        var agreement = onTwelve.Zip(onEight, (a, b) => a == b ? 1.0 : 0.0).Average();
        Assert.True(agreement > 0.99, $"the 12-bit model's masks of the uint8 and 12-bit copies agree on {agreement:P2} of the voxels");
    }

    private static async Task<IReadOnlyList<Crop>> StoreAll(CropStore store, string folder)
    {
        var crops = new List<Crop>();
        foreach (var dataset in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        {
            var (entry, _) = await store.AddAsync(CellMapCropReader.Read(dataset, "crop1"), CropSplits.Train, CancellationToken.None);
            crops.Add(store.Load(entry.CropId));
        }

        return crops;
    }

    private static async Task<ClassScore> TrainAndScore(IReadOnlyList<Crop> crops, string directory)
    {
        var training = crops.Take(TrainingCrops).Select(c => new TrainingCrop(c.Name, CropContentHash.Compute(c), c)).ToList();
        var result = await new VariantTrainer(Settings).RunAsync(
            new TrainingJob(Variants.OneHot, [SyntheticCropGenerator.Mito], training, directory), null, CancellationToken.None);
        Assert.Equal(Settings.Intensity, result.Metadata.Intensity);
        var scored = ModelScorer.Score(
            new ScoringCandidate(Variants.OneHot, ModelRoles.Challenger, directory, result.CheckpointDirectory, result.Metadata.ModelSha256),
            crops.Skip(TrainingCrops).ToList(),
            new PipelineSettings { Workspace = directory },
            exampleCrops: 0,
            CancellationToken.None);
        return scored.Report.Classes.Single();
    }
}
