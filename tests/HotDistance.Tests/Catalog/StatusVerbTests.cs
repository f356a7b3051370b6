using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using HotDistance.Catalog;
using HotDistance.Contracts;
using HotDistance.Cli;
using HotDistance.Core;
using HotDistance.Core.Registry;
using HotDistance.Core.Zarr;
using HotDistance.SiteAgent.Blockwise;
using HotDistance.Tests.Blockwise;
using HotDistance.Tests.Cli;

namespace HotDistance.Tests.Catalog;

[Collection(HdConsoleCollectionDefinition.Name)]
public class StatusVerbTests
{
    [Fact]
    public async Task Status_json_prints_crops_generations_evaluations_promotions_and_the_champion()
    {
        using var temp = new TempDirectory();
        await SeedAsync(new SqliteCatalog(temp.Combine(CatalogConnection.DefaultFileName)));

        var (exitCode, printed) = await HdInProcess.RunAsync("status", "--json", "--workspace", temp.Path);

        Assert.True(exitCode == ExitCodes.Success, printed);
        var json = JsonNode.Parse(printed)!.AsObject();
        Assert.Equal(["catalog", "exists", "crops", "generations", "evaluations", "promotions", "security_events", "rollbacks", "nightly", "sites", "champion", "registry_champion", "registry_problem", "blockwise_jobs"], json.Select(p => p.Key));
        Assert.Equal($"sqlite {temp.Combine(CatalogConnection.DefaultFileName)}", (string?)json["catalog"]);
        Assert.True((bool)json["exists"]!);

        var crops = json["crops"]!;
        Assert.Equal(4, (long)crops["total"]!);
        Assert.Equal(1, (long)crops["rejected"]!);
        Assert.Equal(["split", "crops"], crops["by_split"]![0]!.AsObject().Select(p => p.Key));
        Assert.Equal(["class_name", "split", "crops"], crops["by_class"]![0]!.AsObject().Select(p => p.Key));

        var generation = json["generations"]![0]!;
        Assert.Equal(("gen-0003", 3, "training"), ((string?)generation["generation_id"], (long)generation["number"]!, (string?)generation["state"]));
        var job = generation["jobs"]![2]!;
        Assert.Equal(("hot-distance", "running", 60, 200), ((string?)job["variant"], (string?)job["state"], (long)job["step"]!, (long)job["total_steps"]!));

        var evaluation = json["evaluations"]![1]!;
        Assert.Equal(("gen-0001", "hot-distance"), ((string?)evaluation["generation_id"], (string?)evaluation["winner"]));
        Assert.Equal(0.86, (double)evaluation["scores"]![0]!["per_class"]!["mito"]!, 12);
        Assert.Empty(evaluation["comparisons"]!.AsArray());

        var declined = json["evaluations"]![0]!;
        Assert.Equal((0.01, 0.9), ((double)declined["margin"]!, (double)declined["confidence_level"]!));
        var comparison = declined["comparisons"]![0]!.AsObject();
        Assert.Equal(["variant", "overall", "champion_overall", "difference", "interval_lower", "interval_upper", "clears_margin"], comparison.Select(p => p.Key));
        Assert.Equal(("hot-distance", -0.004, 0.066, false), ((string?)comparison["variant"], (double)comparison["interval_lower"]!, (double)comparison["interval_upper"]!, (bool)comparison["clears_margin"]!));

        var night = json["nightly"]![2]!.AsObject();
        Assert.Equal(["night_key", "scheduled_for", "champion_overall", "baseline_overall", "regression", "retraining_requested", "summary", "completed_at"], night.Select(p => p.Key));
        Assert.Equal(("2026-11-28T020000", 0.7, true, true), ((string?)night["night_key"], (double)night["champion_overall"]!, (bool)night["regression"]!, (bool)night["retraining_requested"]!));
        Assert.Null(json["nightly"]![0]!["baseline_overall"]);

        var site = json["sites"]![0]!.AsObject();
        Assert.Equal(["site", "model_name", "version", "sha256", "reported_at"], site.Select(p => p.Key));
        Assert.Equal(("lab-a", "hd-segmentation", 1, "sha-1"), ((string?)site["site"], (string?)site["model_name"], (long)site["version"]!, (string?)site["sha256"]));

        Assert.Equal(["promoted", "declined"], json["promotions"]!.AsArray().Select(p => (string?)p!["outcome"]));
        Assert.Equal(("hd-segmentation", 1), ((string?)json["champion"]!["model_name"], (long)json["champion"]!["version"]!));
        Assert.Equal(1, (long)json["security_events"]!["total"]!);
        Assert.Equal("ModelTrained", (string?)json["security_events"]!["latest"]![0]!["message_type"]);
    }

    [Fact]
    public async Task Status_prints_tables_from_the_catalog_named_by_catalog()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("elsewhere", "pipeline.db");
        var catalog = new SqliteCatalog(path);
        await SeedAsync(catalog);
        await catalog.RecordAsync(CatalogFlow.Nightly(4, 0.65, 0.70, regression: true, retraining: false), default);

        var (exitCode, printed) = await HdInProcess.RunAsync("status", "--catalog", "sqlite:" + path, "--workspace", temp.Combine("unused"));

        Assert.True(exitCode == ExitCodes.Success, printed);
        Assert.Contains($"catalog: sqlite {path}", printed, StringComparison.Ordinal);
        Assert.Matches(@"hot-distance\s+│\s+running 60/200\s+│\s+0\.7000", printed);
        Assert.Matches(@"gen-0002\s+│\s+declined\s+│\s+3 \(\+1\)", printed);
        Assert.Contains("champion: hd-segmentation v1 (hot-distance, gen-0001, overall 0.810), from the catalog's events", printed, StringComparison.Ordinal);
        Assert.Contains("security events: 1 refused messages", printed, StringComparison.Ordinal);
        Assert.Contains("ModelTrained at evaluator-model-trained: checkpoint generations/gen-0001/one-hot/final has weights", printed, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("unused")));

        // The newest evaluation's decision, the nights and the sites.
        Assert.Contains("gen-0002: challengers against the champion", printed, StringComparison.Ordinal);
        Assert.Matches(@"90% interval", printed);
        Assert.Matches(@"hot-distance\s+│\s+0\.810\s+│\s+0\.780\s+│\s+\+0\.030\s+│\s+\[-0\.004, \+0\.066\]\s+│\s+no", printed);
        Assert.Contains("the interval's lower bound is above the margin 0.010", printed, StringComparison.Ordinal);
        Assert.Matches(@"2026-11-27T020000\s+│\s+0\.800\s+│\s+0\.810\s+│\s+ok", printed);
        Assert.Matches(@"2026-11-28T020000\s+│\s+0\.700\s+│\s+0\.800\s+│\s+regression, retraining requested", printed);
        Assert.Matches(@"2026-11-29T020000\s+│\s+0\.650\s+│\s+0\.700\s+│\s+regression\s+│", printed);
        Assert.Contains(CatalogFlow.Nightly(4, 0.65, 0.70).Summary, printed, StringComparison.Ordinal);
        Assert.Matches(@"lab-a\s+│\s+hd-segmentation v1\s+│\s+sha-1\s+│\s+2026-11-25 11:40", printed);
        Assert.Matches(@"lab-b\s+│\s+hd-segmentation v1\s+│\s+sha-1\s+│\s+2026-11-25 10:32", printed);
        Assert.DoesNotContain("not the champion", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_shows_a_running_blockwise_job_with_its_blocks_done_rate_and_eta_and_leaves_out_a_finished_one()
    {
        using var temp = new TempDirectory();
        var workspace = temp.Combine("workspace");
        var (model, _, raw) = await BlockwisePredictionTests.ModelAndInputAsync(temp, Variants.OneHot);
        using (model)
        {
            var input = RawSource.FromArray(ZarrArray.Open(raw.Path));
            var running = BlockwisePredictionTests.Open(model, input, temp.Combine("running.zarr"), force: false);
            var finished = BlockwisePredictionTests.Open(model, input, temp.Combine("finished.zarr"), force: false);
            BlockwiseJobIndex.Record(workspace, running.Output.Root, DateTimeOffset.UtcNow.AddSeconds(-1));
            BlockwiseJobIndex.Record(workspace, finished.Output.Root, DateTimeOffset.UtcNow.AddSeconds(-1));
            for (var index = 0; index < 3; index++)
            {
                running.ProcessBlock(index);
            }

            finished.Run();
            running.Output.MarkFailed(new BlockFailure(5, "predictor-x", "IOException: disk full", DateTimeOffset.UtcNow));

            var (exitCode, printed) = await HdInProcess.RunAsync("status", "--json", "--workspace", workspace);

            Assert.True(exitCode == ExitCodes.Success, printed);
            var job = Assert.Single(JsonNode.Parse(printed)!["blockwise_jobs"]!.AsArray())!;
            Assert.Equal(running.Output.Root, (string?)job["output"]);
            Assert.Equal(3, (int)job["blocks_done"]!);
            Assert.Equal(running.Plan.Count, (int)job["blocks"]!);
            Assert.Equal(1, (int)job["blocks_failed"]!);
            Assert.True((double)job["voxels_per_second"]! > 0, printed);
            Assert.True((double?)job["eta_seconds"] > 0, printed);

            var (tableExit, table) = await HdInProcess.RunAsync("status", "--workspace", workspace);
            Assert.True(tableExit == ExitCodes.Success, table);
            Assert.Contains($"3/{running.Plan.Count}", table, StringComparison.Ordinal);
            Assert.Contains("Mvoxels/s", table, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Status_of_a_workspace_without_a_catalog_is_empty_and_creates_nothing()
    {
        using var temp = new TempDirectory();
        var workspace = temp.Combine("fresh");

        var (exitCode, printed) = await HdInProcess.RunAsync("status", "--json", "--workspace", workspace);

        Assert.True(exitCode == ExitCodes.Success, printed);
        var json = JsonNode.Parse(printed)!;
        Assert.False((bool)json["exists"]!);
        Assert.Equal(0, (long)json["crops"]!["total"]!);
        Assert.Empty(json["generations"]!.AsArray());
        Assert.Null(json["champion"]);
        Assert.False(Directory.Exists(workspace));
    }

    [Fact]
    public async Task Status_exits_unavailable_when_the_catalog_database_does_not_answer()
    {
        var port = ClosedLoopbackPort();

        var (exitCode, printed) = await HdInProcess.RunAsync("status", "--json", "--catalog", $"postgres://hd:secret@127.0.0.1:{port}/hd");

        Assert.Equal(ExitCodes.Unavailable, exitCode);
        Assert.Contains("cannot read the catalog", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_names_the_registry_champion_and_says_so_when_the_catalog_disagrees()
    {
        using var temp = new TempDirectory();
        await SeedAsync(new SqliteCatalog(temp.Combine(CatalogConnection.DefaultFileName)));
        var registry = new LocalModelRegistry(Path.Combine(temp.Path, "registry"));
        var settings = new PipelineSettings { Workspace = temp.Path };
        for (var version = 1; version <= 2; version++)
        {
            var artifact = temp.Combine($"artifact-{version}");
            Directory.CreateDirectory(artifact);
            await File.WriteAllTextAsync(Path.Combine(artifact, "model.pt"), $"weights {version}");
            await registry.RegisterAsync(settings.ModelName, artifact, "model.pt", $"key-{version}", new Dictionary<string, string>(), default);
        }

        await registry.SetAliasAsync(settings.ModelName, RegistryAliases.Champion, 2, default);

        var (exitCode, printed) = await HdInProcess.RunAsync("status", "--workspace", temp.Path);
        var (_, json) = await HdInProcess.RunAsync("status", "--json", "--workspace", temp.Path);

        Assert.True(exitCode == ExitCodes.Success, printed);
        Assert.Contains($"champion: {settings.ModelName} v2, the registry's champion alias", printed, StringComparison.Ordinal);
        Assert.Contains("the catalog's events say v1", printed, StringComparison.Ordinal);
        Assert.Matches(@"lab-a\s+│\s+hd-segmentation v1 \*", printed);
        Assert.Contains($"* not the champion, {settings.ModelName} v2", printed, StringComparison.Ordinal);
        Assert.Equal(2, (long)JsonNode.Parse(json)!["registry_champion"]!["version"]!);
    }

    [Fact]
    public async Task Status_keeps_to_80_columns_with_a_failed_job_and_prints_its_whole_reason()
    {
        using var temp = new TempDirectory();
        var catalog = new SqliteCatalog(temp.Combine(CatalogConnection.DefaultFileName));
        await SeedAsync(catalog);
        var reason = "HotDistance.Learning.Training.TrainingDivergedException: 4 steps gave a non-finite loss or gradient at learning rate 0.001; lower --learning-rate or check the crops";
        await catalog.RecordFailureAsync(CatalogFlow.Requests(3, 3, 0).Single(r => r.Variant == Contracts.Variants.Distance), reason, CatalogFlow.Start.AddHours(6), default);

        var (exitCode, printed) = await HdInProcess.RunAsync(["status", "--workspace", temp.Path], CancellationToken.None, width: 80);

        Assert.True(exitCode == ExitCodes.Success, printed);
        Assert.All(printed.Split('\n'), line => Assert.True(line.TrimEnd('\r').Length <= 80, $"{line.Length} columns: {line}"));
        Assert.Matches(@"distance\s+│\s+failed at 0", printed);
        Assert.Contains(string.Concat(reason.Where(c => !char.IsWhiteSpace(c))), string.Concat(printed.Where(c => !char.IsWhiteSpace(c))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_shows_a_retrying_job_and_a_waiting_generation_with_their_reasons()
    {
        using var temp = new TempDirectory();
        var catalog = new SqliteCatalog(temp.Combine(CatalogConnection.DefaultFileName));
        await SeedAsync(catalog);
        await catalog.RecordAsync(new TrainingRetrying("gen-0003", Contracts.Variants.OneHot, 2, 6, "IOException: the share is away", "runner-b", CatalogFlow.Start.AddHours(6)), default);
        foreach (var message in CatalogFlow.Requests(4, 3, 0).Cast<object>().Concat(Contracts.Variants.All.Select(v => CatalogFlow.Trained(4, v, 3))))
        {
            await CatalogFlow.RecordAsync(catalog, message);
        }

        await catalog.RecordAsync(new GenerationStalled("gen-0004", GenerationStages.Evaluation, "MlflowApiException: no answer from http://mlflow:5000/", CatalogFlow.Start.AddHours(7)), default);

        var (exitCode, printed) = await HdInProcess.RunAsync(["status", "--workspace", temp.Path], CancellationToken.None, width: 80);

        Assert.True(exitCode == ExitCodes.Success, printed);
        Assert.All(printed.Split('\n'), line => Assert.True(line.TrimEnd('\r').Length <= 80, $"{line.Length} columns: {line}"));
        Assert.Matches(@"gen-0003\s+│\s+training", printed);
        Assert.Matches(@"one-hot\s+│\s+retrying 0/", printed);
        Assert.Matches(@"gen-0004\s+│\s+waiting", printed);
        var flat = string.Concat(printed.Where(c => !char.IsWhiteSpace(c)));
        Assert.Contains("gen-0003/one-hotretrying:attempt2of6failed:IOException:theshareisaway", flat, StringComparison.Ordinal);
        Assert.Contains("gen-0004waiting:itsevaluationgaveupat2026-11-2516:00(MlflowApiException:noanswerfromhttp://mlflow:5000/)", flat, StringComparison.Ordinal);
    }

    private static async Task SeedAsync(IPipelineCatalog catalog)
    {
        foreach (var message in CatalogFlow.FullRun())
        {
            await CatalogFlow.RecordAsync(catalog, message);
        }
    }

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
