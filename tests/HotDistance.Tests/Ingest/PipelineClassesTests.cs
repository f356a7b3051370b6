using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Hosting.Configuration;
using HotDistance.Ingest;

namespace HotDistance.Tests.Ingest;

/// <summary>
/// The classes are data: a crop annotating nuc is refused by a pipeline of mito and er with the key to add, taken
/// once hd.json lists nuc (an instance class by its CellMap name alone), and kept for its listed classes when the
/// pipeline ignores unlisted ones.
/// </summary>
public sealed class PipelineClassesTests
{
    [Fact]
    public async Task A_crop_with_nuc_is_refused_naming_the_key_then_taken_once_hd_json_lists_nuc()
    {
        using var temp = new TempDirectory();
        var source = WriteCropWithNuc(temp);

        await using (var before = await IngestPipeline.StartAsync(temp.Combine("before")))
        {
            var refused = Assert.Single(await before.IngestAsync(source));
            Assert.Equal(IngestOutcome.Rejected, refused.Status);
            Assert.Contains("field 'class' is 'nuc', which is not one of the pipeline's classes (mito, er)", refused.Reason, StringComparison.Ordinal);
            Assert.Contains("""add it to pipeline:classes (in hd.json: "pipeline": { "classes": ["mito", "er", "nuc"] })""", refused.Reason, StringComparison.Ordinal);
        }

        var pipeline = Configured(temp, """{ "pipeline": { "classes": ["mito", "er", "nuc"], "mutuallyExclusive": [["mito", "er"], ["nuc", "er"]] } }""");
        Assert.Contains("nuc", pipeline.InstanceClasses);
        await using var after = await IngestPipeline.StartAsync(temp.Combine("after"), classes: pipeline);
        var taken = Assert.Single(await after.IngestAsync(source));
        Assert.Equal(IngestOutcome.Added, taken.Status);
        Assert.True(after.Store.Load(taken.CropId!).Labels["nuc"].IsInstance);
    }

    [Fact]
    public async Task Ignoring_unlisted_classes_keeps_a_crop_for_its_listed_ones_but_not_one_with_none_of_them()
    {
        using var temp = new TempDirectory();
        var pipeline = Configured(temp, """{ "pipeline": { "unlistedClasses": "ignore" } }""");
        await using var ingest = await IngestPipeline.StartAsync(temp.Combine("workspace"), classes: pipeline);

        Assert.Equal(IngestOutcome.Added, Assert.Single(await ingest.IngestAsync(WriteCropWithNuc(temp))).Status);

        var onlyNuc = Crop();
        var path = temp.Combine("incoming", "only-nuc.zarr");
        CellMapCropWriter.Write(WithLabels(onlyNuc, new Dictionary<string, ClassLabels> { ["nuc"] = Nuc(onlyNuc) }), path, "crop1", chunkSize: 8);
        var refused = Assert.Single(await ingest.IngestAsync(path));
        Assert.Equal(IngestOutcome.Rejected, refused.Status);
        Assert.Contains("annotates nuc, none of the pipeline's classes (mito, er); add the classes to train to pipeline:classes", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_policy_is_a_configuration_error_naming_the_choices()
    {
        using var temp = new TempDirectory();
        var error = Assert.Throws<ConfigurationException>(() => Configured(temp, """{ "pipeline": { "unlistedClasses": "drop" } }"""));
        Assert.Contains("pipeline:unlistedClasses = 'drop'", error.Message, StringComparison.Ordinal);
        Assert.Contains("is not one of refuse, ignore", error.Message, StringComparison.Ordinal);
    }

    private static PipelineSettings Configured(TempDirectory temp, string json)
    {
        var file = temp.Combine($"hd-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, json);
        return HostConfiguration.Load(file, new ConfigurationLayer(), new Dictionary<string, string>()).Settings.Pipeline;
    }

    private static Crop Crop() =>
        SyntheticCropGenerator.Generate(new SyntheticCropSpec("cells", 5, new Shape3(12, 12, 12), VoxelSize.Isotropic(8), SyntheticCropGenerator.Classes));

    /// <summary>Nuclei as instances (the mito instances of the synthetic crop under another name).</summary>
    private static ClassLabels Nuc(Crop crop) => crop.Labels[SyntheticCropGenerator.Mito] with { ClassName = "nuc" };

    private static Crop WithLabels(Crop crop, Dictionary<string, ClassLabels> labels) =>
        new() { Name = crop.Name, Raw = crop.Raw, VoxelSize = crop.VoxelSize, Labels = labels };

    private static string WriteCropWithNuc(TempDirectory temp)
    {
        var crop = Crop();
        var path = temp.Combine("incoming", "with-nuc.zarr");
        CellMapCropWriter.Write(WithLabels(crop, new Dictionary<string, ClassLabels>(crop.Labels) { ["nuc"] = Nuc(crop) }), path, "crop1", chunkSize: 8);
        return path;
    }
}
