using HotDistance.Ablation;
using HotDistance.Contracts;
using HotDistance.Core.Crops.Thinning;
using HotDistance.Hosting.Configuration;

namespace HotDistance.Tests.Ablation;

public class AblationGridTests
{
    [Fact]
    public void The_grid_is_every_arm_at_every_density_with_every_seed_with_hot_distance_once_per_lambda()
    {
        var settings = new AblationSettings
        {
            Lambdas = [3, 0.3],
            Densities = [AnnotationDensity.Full, new() { ClassesPerCrop = 1 }],
            Seeds = [5, 6, 7],
        };

        var cells = AblationGrid.Compose(settings);

        Assert.Equal(4 * 2 * 3, cells.Count);
        Assert.Equal(cells.Count, cells.Select(c => c.Key).Distinct().Count());
        Assert.Equal(["one-hot", "distance", "hot-distance λ=0.3", "hot-distance λ=3"], AblationGrid.Arms(settings).Select(a => a.Label));
        // Density by density, seed by seed: an interrupted grid holds whole comparisons for the densities it reached.
        Assert.Equal("one-hot__full__seed5", cells[0].Key);
        Assert.Equal("hot-distance-l3__full__seed5", cells[3].Key);
        Assert.Equal("one-hot__full__seed6", cells[4].Key);
        Assert.All(cells.Take(12), c => Assert.Equal("full", c.Density.Name));
        Assert.All(cells.Where(c => c.Arm.Variant != Variants.HotDistance), c => Assert.Null(c.Arm.Lambda));
    }

    [Fact]
    public void A_grid_without_hot_distance_has_no_lambda_arms()
    {
        var cells = AblationGrid.Compose(new AblationSettings { Variants = [Variants.OneHot, Variants.Distance], Lambdas = [], Densities = [AnnotationDensity.Full] });

        Assert.Equal(2 * 3, cells.Count);
    }

    [Theory]
    [InlineData("""{ "ablation": { "seeds": [1, 2] } }""", "ablation:seeds", "at least 3 different seeds")]
    [InlineData("""{ "ablation": { "seeds": [1, 1, 2] } }""", "ablation:seeds", "at least 3 different seeds")]
    [InlineData("""{ "ablation": { "variants": ["one-hot", "hotdistance"] } }""", "ablation:variants", "one-hot, distance, hot-distance")]
    [InlineData("""{ "ablation": { "lambdas": [1, 0] } }""", "ablation:lambdas", "above 0")]
    [InlineData("""{ "ablation": { "densities": ["full", "full"] } }""", "ablation:densities", "each once")]
    [InlineData("""{ "ablation": { "densities": ["full", "voxels=7"] } }""", "ablation:densities", "voxel fraction")]
    [InlineData("""{ "ablation": { "training": { "steps": 10, "checkpointEvery": 50 } } }""", "ablation:training:checkpointEvery", "at most ablation:training:steps")]
    [InlineData("""{ "ablation": { "training": { "seed": 5 } } }""", "ablation:training", "each cell takes its seed from ablation:seeds")]
    [InlineData("""{ "ablation": { "training": { "steps": 0 } } }""", "ablation:training:steps", "must be from 1")]
    [InlineData("""{ "ablation": { "bootstrapResamples": 5 } }""", "ablation:bootstrapResamples", "from 100")]
    [InlineData("""{ "ablation": { "seed": [1, 2, 3] } }""", "ablation:seed", "not a setting")]
    public void A_wrong_grid_in_the_file_is_refused_naming_the_key_the_file_and_what_is_allowed(string json, string key, string allowed)
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("hd.json");
        File.WriteAllText(file, json);

        var error = Assert.Throws<ConfigurationException>(() => HostConfiguration.Load(file, new ConfigurationLayer(), new Dictionary<string, string>()));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains(allowed, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_file_and_the_environment_compose_the_grid_and_config_show_lists_it()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("hd.json");
        File.WriteAllText(file, """{ "ablation": { "densities": ["full", "classes=1+voxels=0.5:blocks:4", "crops=2"], "lambdas": [0.1, 1] } }""");

        var loaded = HostConfiguration.Load(file, new ConfigurationLayer(), new Dictionary<string, string> { ["HD_ABLATION__SEEDS"] = "4,5,6" });

        var ablation = loaded.Settings.Ablation;
        Assert.Equal([4, 5, 6], ablation.Seeds);
        Assert.Equal([0.1, 1.0], ablation.Lambdas);
        Assert.Equal(new AnnotationDensity { ClassesPerCrop = 1, VoxelFraction = 0.5, Pattern = UnknownPattern.Blocks, BlockSize = 4 }, ablation.Densities[1]);
        Assert.Equal(4 * 3 * 3, AblationGrid.Compose(ablation).Count);
        var shown = SettingsDocument.Flatten(loaded.Settings).ToDictionary(e => e.Key, e => SettingsDocument.Format(e.Value));
        Assert.Equal("[full, classes=1+voxels=0.5:blocks:4, crops=2]", shown["ablation:densities"]);
        Assert.Equal(file, loaded.Sources.OriginOf("ablation:densities"));
    }

    [Fact]
    public void The_defaults_validate_and_a_written_configuration_loads_back_to_the_same_grid()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("hd.json");
        File.WriteAllText(file, SettingsDocument.ToCommentedJson(HostConfiguration.Defaults, new HashSet<string>(StringComparer.Ordinal)));

        var loaded = HostConfiguration.Load(file, new ConfigurationLayer(), new Dictionary<string, string>());

        Assert.Equal(new AblationSettings().Densities, loaded.Settings.Ablation.Densities);
        Assert.Equal(AblationGrid.Compose(new AblationSettings()).Select(c => c.Key), AblationGrid.Compose(loaded.Settings.Ablation).Select(c => c.Key));
    }
}
