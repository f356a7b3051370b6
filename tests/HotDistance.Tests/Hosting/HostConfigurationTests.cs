using HotDistance.Core.Volumes;
using HotDistance.Evaluator;
using HotDistance.Hosting;
using HotDistance.Hosting.Configuration;
using HotDistance.Learning.Model;
using HotDistance.SiteAgent.Predictor;
using HotDistance.Trainer;
using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.Tests.Hosting;

/// <summary>
/// One configuration from every source: the file, the environment (section variables and the old short names) and
/// the command line, highest last; every invalid value stops the load naming the key, the value and its source.
/// </summary>
public sealed class HostConfigurationTests
{
    [Fact]
    public void Operator_variables_reach_the_settings_of_the_roles_they_tune()
    {
        using var temp = new TempDirectory();
        var settings = Load(temp, environment: new()
        {
            [EnvironmentAliases.Steps] = "120",
            [EnvironmentAliases.CheckpointEvery] = "20",
            [EnvironmentAliases.Intensity] = "minmax:100,3900",
            [EnvironmentAliases.Runner] = "gpu-node-3",
            [EnvironmentAliases.QueuePrefix] = "lab-a",
            [EnvironmentAliases.NightlyCron] = "0 30 3 * * ?",
            [EnvironmentAliases.Device] = "cpu",
            ["HD_EVALUATOR__PROMOTIONMARGIN"] = "0.01",
            ["HD_PIPELINE__CLASSES"] = "mito,er,nuc",
        }).Settings;

        Assert.Equal(120, settings.Trainer.Training.Steps);
        Assert.Equal(20, settings.Trainer.Training.CheckpointEvery);
        Assert.Equal(IntensityNormalization.MinMax(100, 3900), settings.Trainer.Training.Intensity);
        Assert.Equal("gpu-node-3", settings.Trainer.RunnerName);
        Assert.Equal("lab-a", settings.EndpointPrefix);
        Assert.Equal("0 30 3 * * ?", settings.Evaluator.Nightly.Cron);
        Assert.Equal("cpu", settings.Device);
        Assert.True(settings.Evaluator.Nightly.Enabled);
        Assert.Equal(0.01, settings.Evaluator.PromotionMargin);
        Assert.Equal(["mito", "er", "nuc"], settings.Pipeline.Classes);
        Assert.False(Load(temp, environment: new() { [EnvironmentAliases.NightlyCron] = "off" }).Settings.Evaluator.Nightly.Enabled);
    }

    [Fact]
    public void The_command_line_beats_the_environment_which_beats_the_file_which_beats_the_defaults_and_each_value_knows_its_source()
    {
        using var temp = new TempDirectory();
        var file = WriteFile(temp, """
            {
              // comments are allowed
              "trainer": { "training": { "steps": 300, "learningRate": 0.001, "architecture": "small-planar" }, "debounce": "10s" },
              "pipeline": { "classes": ["nuc", "mito"], "mutuallyExclusive": [["nuc", "mito"]] },
              "rabbitMqUri": "amqp://file-host/"
            }
            """);
        var commandLine = new ConfigurationLayer();
        commandLine.Set("rabbitMqUri", "amqp://option-host/", "--rabbitmq");

        var loaded = HostConfiguration.Load(file, commandLine, new Dictionary<string, string> { ["HD_TRAINER__TRAINING__STEPS"] = "400", ["HD_RABBITMQ"] = "amqp://variable-host/" });

        var settings = loaded.Settings;
        Assert.Equal(400, settings.Trainer.Training.Steps);
        Assert.Equal(0.001, settings.Trainer.Training.LearningRate);
        Assert.Same(ModelArchitecture.SmallPlanar, settings.Trainer.Training.Architecture);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Trainer.Debounce);
        Assert.Equal(["nuc", "mito"], settings.Pipeline.Classes);
        Assert.Equal(new Uri("amqp://option-host/"), settings.RabbitMqUri);
        Assert.Equal(32, settings.Trainer.Training.PatchSize);
        Assert.Equal("environment HD_TRAINER__TRAINING__STEPS", loaded.Sources.OriginOf("trainer:training:steps"));
        Assert.Equal(file, loaded.Sources.OriginOf("trainer:training:learningRate"));
        Assert.Equal(file, loaded.Sources.OriginOf("pipeline:classes"));
        Assert.Equal("--rabbitmq", loaded.Sources.OriginOf("rabbitMqUri"));
        Assert.Equal("default", loaded.Sources.OriginOf("trainer:training:patchSize"));

        // The shared defaults were copied, not changed.
        Assert.Equal(200, HostConfiguration.Defaults.Trainer.Training.Steps);
        Assert.Equal(["mito", "er"], HostConfiguration.Defaults.Pipeline.Classes);
    }

    [Fact]
    public void The_device_reaches_the_trainer_and_the_evaluator_of_a_host()
    {
        using var temp = new TempDirectory();
        var settings = Load(temp, environment: new() { [EnvironmentAliases.Device] = "cpu" }).Settings with { Catalog = "none" };

        using var host = PipelineHost.Build(settings, PipelineRoles.All);

        Assert.Equal("cpu", host.Services.GetRequiredService<TrainerSettings>().Training.Device);
        Assert.Equal("cpu", host.Services.GetRequiredService<EvaluatorSettings>().Device);
    }

    [Fact]
    public void A_predictor_takes_the_host_device_unless_pinned_to_its_own()
    {
        using var temp = new TempDirectory();
        var settings = Load(temp, environment: new() { [EnvironmentAliases.Device] = "cpu" }).Settings with { Catalog = "none" };
        var pinned = Load(temp, environment: new() { [EnvironmentAliases.Device] = "cpu", ["HD_PREDICTOR__DEVICE"] = "cuda:1" }).Settings with { Catalog = "none" };

        using var host = PipelineHost.Build(settings, [PredictorRole.Name]);
        using var pinnedHost = PipelineHost.Build(pinned, [PredictorRole.Name]);

        Assert.Equal("cpu", host.Services.GetRequiredService<PredictorSettings>().Device);
        Assert.Equal("cuda:1", pinnedHost.Services.GetRequiredService<PredictorSettings>().Device);
    }

    [Fact]
    public void The_workspace_file_is_read_without_config()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("workspace"));
        File.WriteAllText(temp.Combine("workspace", ConfigurationSources.FileName), """{ "evaluator": { "bootstrapResamples": 500 } }""");

        var loaded = Load(temp);

        Assert.Equal(500, loaded.Settings.Evaluator.BootstrapResamples);
        Assert.Equal(temp.Combine("workspace", ConfigurationSources.FileName), loaded.Sources.File);
    }

    [Theory]
    [InlineData("""{ "trainer": { "training": { "stesp": 10 } } }""", "trainer:training:stesp (from {file}) is not a setting; known here: steps, patchSize")]
    [InlineData("""{ "trainer": { "training": { "steps": 0 } } }""", "trainer:training:steps = '0' (from {file}): must be from 1 to 10000000")]
    [InlineData("""{ "trainer": { "training": { "steps": "many" } } }""", "trainer:training:steps = 'many' (from {file}): is not a whole number")]
    [InlineData("""{ "trainer": { "debounce": "soon" } }""", "trainer:debounce = 'soon' (from {file}): is not a duration; write e.g. 30s")]
    [InlineData("""{ "evaluator": { "confidenceLevel": 1.5 } }""", "evaluator:confidenceLevel = '1.5' (from {file}): must be from 0.5 to 0.999")]
    [InlineData("""{ "trainer": { "training": { "architecture": "huge" } } }""", "'huge' is not an architecture; the presets are small, small-planar, standard, standard-planar")]
    [InlineData("""{ "trainer": { "training": { "intensity": "minmax:3900,100" } } }""", "trainer:training:intensity = 'minmax:3900,100' (from {file})")]
    [InlineData("""{ "trainer": { "training": { "architecture": "standard", "patchSize": 16 } } }""", "trainer:training:patchSize = '16' (from {file}): the standard network downsamples by 18: use a multiple of 18, e.g. 72")]
    [InlineData("""{ "device": "gpu" }""", "device = 'gpu' (from {file}): must be auto, cpu, cuda or cuda:N (a GPU index)")]
    [InlineData("""{ "trainer": { "training": { "device": "cpu" } } }""", "trainer:training:device (from {file}) is not a setting")]
    [InlineData("""{ "predictor": { "device": "gpu1" } }""", "predictor:device = 'gpu1' (from {file}): must be auto, cpu, cuda or cuda:N (a GPU index), e.g. cuda:1")]
    [InlineData("""{ "predictor": { "outputRoots": ["segmentations"] } }""", "predictor:outputRoots = 'segmentations' (from {file}): each entry is an absolute folder")]
    [InlineData("""{ "predictor": { "torchThreads": -1 } }""", "predictor:torchThreads = '-1' (from {file}): must be from 0 to 1024")]
    [InlineData("""{ "registry": "mlflow" }""", "mlflowTrackingUri = '' (from default): registry mlflow needs the tracking server's address")]
    [InlineData("""{ "registry": "s3" }""", "registry = 's3' (from {file}): must be local (a folder in the workspace) or mlflow")]
    [InlineData("""{ "pipeline": { "mutuallyExclusive": [["mito", "nuc"]] } }""", "pipeline:mutuallyExclusive = '[mito, nuc]' (from {file}): each entry is two of the pipeline's classes (mito, er)")]
    [InlineData("""{ "pipeline": { "classes": [] } }""", "pipeline:classes = '[]' (from {file}): must name at least one class")]
    [InlineData("""{ "ingest": { "pollInterval": "0s" } }""", "ingest:pollInterval = '0s' (from {file}): must be from 100ms to 1d")]
    [InlineData("""{ "trainer": 5 }""", "trainer = '5' (from {file}): is a section; set its keys (training, debounce, maxBatch, runnerName)")]
    public void An_invalid_file_stops_the_load_naming_the_key_the_value_the_source_and_what_is_allowed(string json, string expected)
    {
        using var temp = new TempDirectory();
        var file = WriteFile(temp, json);

        var error = Assert.Throws<ConfigurationException>(() => HostConfiguration.Load(file, new ConfigurationLayer(), new Dictionary<string, string>()));

        Assert.True(error.Message.Contains(expected.Replace("{file}", file, StringComparison.Ordinal), StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_and_a_variable_is_named_as_the_source()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<ConfigurationException>(() => Load(temp, environment: new()
        {
            [EnvironmentAliases.Steps] = "-3",
            ["HD_EVALUATOR__BOOTSTRAPRESAMPLES"] = "5",
            ["HD_TRAINER__NOSUCHKEY"] = "1",
        }));

        Assert.Equal(1, error.Problems.Count(p => p.Contains("(from environment HD_TRAINER__NOSUCHKEY) is not a setting", StringComparison.Ordinal)));
        Assert.DoesNotContain(error.Problems, p => p.Contains("steps", StringComparison.Ordinal)); // ranges are checked once the keys are known

        var ranges = Assert.Throws<ConfigurationException>(() => Load(temp, environment: new() { [EnvironmentAliases.Steps] = "-3", ["HD_EVALUATOR__BOOTSTRAPRESAMPLES"] = "5" }));
        Assert.Equal(2, ranges.Problems.Count);
        Assert.Contains("trainer:training:steps = '-3' (from environment HD_TRAIN_STEPS): must be from 1 to 10000000", ranges.Problems);
        Assert.Contains("evaluator:bootstrapResamples = '5' (from environment HD_EVALUATOR__BOOTSTRAPRESAMPLES): must be from 100 to 1000000", ranges.Problems);
    }

    [Fact]
    public void A_missing_config_file_or_one_that_is_not_json_is_named()
    {
        using var temp = new TempDirectory();
        var missing = Assert.Throws<ConfigurationException>(() => HostConfiguration.Load(temp.Combine("nope.json"), new ConfigurationLayer(), new Dictionary<string, string>()));
        Assert.Contains("nope.json: no such file; write one with hd config init", missing.Message, StringComparison.Ordinal);

        var broken = WriteFile(temp, "{ \"trainer\": ");
        var error = Assert.Throws<ConfigurationException>(() => HostConfiguration.Load(broken, new ConfigurationLayer(), new Dictionary<string, string>()));
        Assert.Contains(broken, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Site_volumes_are_read_from_the_file_shown_and_written_back_and_a_bad_entry_is_named_by_its_field()
    {
        using var temp = new TempDirectory();
        var file = WriteFile(temp, """
            { "site": { "volumes": [
                { "input": "/data/a.zarr/recon-1/em/fibsem-uint8", "output": "/seg/a", "roi": "0:64,0:512,8:520", "block": 128 },
                { "input": "/data/b.zarr", "output": "/seg/b", "tile": 48 } ] } }
            """);

        var settings = HostConfiguration.Load(file, new ConfigurationLayer(), new Dictionary<string, string>()).Settings;

        var volumes = settings.Site.Volumes;
        Assert.Equal(2, volumes.Count);
        Assert.Equal(("/seg/a", 128, 96), (volumes[0].Output, volumes[0].Block, volumes[0].Tile));
        Assert.Equal([0, 0, 8], volumes[0].Roi!.Start);
        Assert.Equal([64, 512, 520], volumes[0].Roi!.End);
        Assert.False(volumes[0].Roi!.Nanometres);
        Assert.Equal((null, 192, 48), (volumes[1].Roi, volumes[1].Block, volumes[1].Tile));
        var shown = SettingsDocument.Format(SettingsDocument.Flatten(settings).Single(e => e.Key == "site:volumes").Value);
        Assert.Equal("[{input: /data/a.zarr/recon-1/em/fibsem-uint8, output: /seg/a, roi: 0:64,0:512,8:520, block: 128, tile: 96}, {input: /data/b.zarr, output: /seg/b, roi: , block: 192, tile: 48}]", shown);
        var written = temp.Combine("written.json");
        File.WriteAllText(written, SettingsDocument.ToCommentedJson(settings, new HashSet<string>()));
        var reloaded = HostConfiguration.Load(written, new ConfigurationLayer(), new Dictionary<string, string>()).Settings;
        Assert.Equal(shown, SettingsDocument.Format(reloaded.Site.Volumes));

        // Keys and values the binder cannot read, named by their place in the list.
        var unreadable = Assert.Throws<ConfigurationException>(() => HostConfiguration.Load(WriteFile(temp, """
            { "site": { "volumes": [ { "input": "/a", "output": "/seg/a", "roi": "0:64,0:512" }, { "input": "/b", "ouput": "/seg/b" } ] } }
            """), new ConfigurationLayer(), new Dictionary<string, string>()));
        Assert.Contains(unreadable.Problems, p => p.StartsWith("site:volumes:0:roi = '0:64,0:512' (from ", StringComparison.Ordinal) && p.Contains("does not give three axes; use z0:z1,y0:y1,x0:x1", StringComparison.Ordinal));
        Assert.Contains(unreadable.Problems, p => p.StartsWith("site:volumes:1:ouput (from ", StringComparison.Ordinal) && p.Contains("is not a setting; known here: input, output, roi, block, tile", StringComparison.Ordinal));

        // Values that do not fit: each named, with the fix.
        var invalid = Assert.Throws<ConfigurationException>(() => HostConfiguration.Load(WriteFile(temp, """
            { "site": { "volumes": [ { "input": "/a", "output": "/seg/a" }, { "input": "", "output": "/seg/a/" }, { "input": "/c", "block": 0 } ] } }
            """), new ConfigurationLayer(), new Dictionary<string, string>()));
        Assert.Equal(4, invalid.Problems.Count);
        Assert.Contains(invalid.Problems, p => p.StartsWith("site:volumes:1:input = '' (from ", StringComparison.Ordinal) && p.Contains("name the raw to segment", StringComparison.Ordinal));
        Assert.Contains(invalid.Problems, p => p.StartsWith("site:volumes:1:output = '/seg/a/' (from ", StringComparison.Ordinal) && p.EndsWith("is also site:volumes:0:output: give each volume its own folder", StringComparison.Ordinal));
        Assert.Contains(invalid.Problems, p => p.StartsWith("site:volumes:2:output = '' (from ", StringComparison.Ordinal) && p.Contains("name a folder for this volume's segmentations", StringComparison.Ordinal));
        Assert.Contains(invalid.Problems, p => p.StartsWith("site:volumes:2:block = '0' (from ", StringComparison.Ordinal) && p.Contains("must be from 1 to 1024", StringComparison.Ordinal));
    }

    private static LoadedConfiguration Load(TempDirectory temp, Dictionary<string, string>? environment = null)
    {
        var commandLine = new ConfigurationLayer();
        commandLine.Set("pipeline:workspace", temp.Combine("workspace"), "--workspace");
        return HostConfiguration.Load(null, commandLine, environment ?? []);
    }

    private static string WriteFile(TempDirectory temp, string json)
    {
        var path = temp.Combine("hd.json");
        File.WriteAllText(path, json);
        return path;
    }
}
