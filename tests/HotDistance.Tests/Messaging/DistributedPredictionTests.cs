using System.Globalization;
using System.Text.RegularExpressions;
using HotDistance.Contracts;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Hosting.Configuration;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Inference;
using HotDistance.SiteAgent;
using HotDistance.SiteAgent.Blockwise;
using HotDistance.SiteAgent.Predictor;
using HotDistance.Tests.Blockwise;
using HotDistance.Tests.Infrastructure;
using HotDistance.Tests.Pipeline;
using HotDistance.Tests.SiteAgent;

namespace HotDistance.Tests.Messaging;

/// <summary>
/// Blockwise prediction spread over predictors on a real broker (<c>hd predict --distribute</c>, <c>hd run --roles
/// predictor</c>): predictor processes share a job's blocks and the output equals a local run byte for byte, a predictor
/// killed mid-block loses only that block, a duplicated block message changes nothing, and a message naming a folder
/// that holds no job is refused without stopping the predictor.
/// </summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed partial class DistributedPredictionTests(RabbitMqBrokerFixture broker)
{
    /// <summary>1 x 2 x 3 blocks of 64 voxels (whole 64-chunks, tiles of 32 in batches of two), the last ones cut.</summary>
    private static readonly Shape3 Volume = new(40, 70, 130);

    private const int Blocks = 6;

    /// <summary>The arrays' files of the job (chunks and metadata of every level) are at least this many.</summary>
    private const int ArrayFiles = 40;

    /// <summary>How a refusal is logged (<see cref="HotDistance.Messaging.UntrustedMessageFilter{T}"/>), once per message.</summary>
    private const string Refused = "Security: PredictionBlockRequested refused";

    [Fact]
    public async Task Two_predictor_processes_share_the_blocks_and_the_output_equals_a_local_run_byte_for_byte()
    {
        using var job = await PredictionJob.CreateAsync(broker.AmqpUri);
        var local = await job.PredictAsync("local.zarr", distribute: false);
        using var first = job.StartPredictor("predictor-a");
        using var second = job.StartPredictor("predictor-b");
        await broker.WaitForConsumersAsync(job.Queue, 2, first, second);

        var distributed = await job.PredictAsync("distributed.zarr", distribute: true);

        BlockwisePredictionTests.AssertSameArrays(local, distributed, ArrayFiles);
        var byFirst = Finished(first.Output);
        var bySecond = Finished(second.Output);
        Assert.True(byFirst.Count > 0 && bySecond.Count > 0, $"one predictor did every block: a {byFirst.Count}, b {bySecond.Count}");
        Assert.Equal(Enumerable.Range(0, Blocks), byFirst.Concat(bySecond).Order());
        // Each loaded the job's model once for all its blocks.
        Assert.Single(Regex.Matches(first.Output, "loaded model"));
        Assert.Single(Regex.Matches(second.Output, "loaded model"));

        // The same command again requests nothing and reports the job done.
        var (exitCode, printed) = await job.RunHdAsync(job.PredictArguments("distributed.zarr", distribute: true));
        Assert.True(exitCode == 0, printed);
        Assert.Contains($"{Blocks} block(s) were already done, 0 computed now", Flat(printed), StringComparison.Ordinal);
        Assert.Equal(Blocks, Finished(first.Output).Count + Finished(second.Output).Count);
    }

    [Fact]
    public async Task A_predictor_killed_mid_block_loses_only_that_block_and_another_predictor_does_it_to_the_same_bytes()
    {
        using var job = await PredictionJob.CreateAsync(broker.AmqpUri);
        var local = await job.PredictAsync("local.zarr", distribute: false);
        using var doomed = job.StartPredictor("doomed");
        await broker.WaitForConsumersAsync(job.Queue, 1, doomed);

        var predicting = job.RunHdAsync(job.PredictArguments("distributed.zarr", distribute: true));
        await Eventually.Until(() => Started(doomed.Output).Count > 0, TimeSpan.FromMinutes(2), "the doomed predictor starting a block", () => doomed.Output);
        doomed.Kill();
        // Prefetch one: the killed predictor held exactly one block, started and never finished.
        var held = Assert.Single(Started(doomed.Output).Except(Finished(doomed.Output)));
        using var survivor = job.StartPredictor("survivor");

        var (exitCode, printed) = await predicting;

        Assert.True(exitCode == 0, printed + Environment.NewLine + survivor.Output);
        Assert.Contains(held, Finished(survivor.Output));
        Assert.Equal(Enumerable.Range(0, Blocks), Finished(doomed.Output).Concat(Finished(survivor.Output)).Order());
        BlockwisePredictionTests.AssertSameArrays(local, job.Output("distributed.zarr"), ArrayFiles);
    }

    [Fact]
    public async Task A_duplicated_block_message_is_done_once_and_the_volume_is_the_same()
    {
        await using var pipeline = new BrokerPipeline(broker.AmqpUri);
        await pipeline.StartAsync([PredictorRole.Name]);
        using var temp = new TempDirectory();
        var (model, segmenter, dispatcher, input, _) = await SharedJobAsync(pipeline, temp, Variants.HotDistance);
        using (model)
        {
            BlockwisePredictionTests.Open(model, input, temp.Combine("local.zarr"), force: false).Run();
            var blocks = segmenter.Plan.Count;
            for (var index = 0; index < blocks; index++)
            {
                await pipeline.Bus.Publish(new PredictionBlockRequested(segmenter.Output.Root, index, DateTimeOffset.UtcNow));
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var result = await dispatcher.RunAsync(null, limit.Token);

            await pipeline.UntilAsync(() => pipeline.Logs.Matching("is already done; skipped").Count == blocks, TimeSpan.FromMinutes(3), "every duplicate skipped");
            Assert.Equal(blocks, pipeline.Logs.Matching(" done in ").Count);
            Assert.Equal(blocks, result.BlocksComputed);
            BlockwisePredictionTests.AssertSameArrays(temp.Combine("local.zarr"), segmenter.Output.Root);
        }
    }

    [Fact]
    public async Task A_block_message_naming_no_job_is_refused_with_its_reason_and_the_predictor_keeps_working()
    {
        await using var pipeline = new BrokerPipeline(broker.AmqpUri);
        await pipeline.StartAsync([PredictorRole.Name]);
        using var temp = new TempDirectory();
        var notAJob = temp.Combine("not-a-job");
        Directory.CreateDirectory(notAJob);
        (string Output, string Reason)[] refusals =
        [
            (temp.Combine("missing.zarr"), "does not exist"),
            (notAJob, "holds no blockwise job"),
            ("relative.zarr", "must be an absolute path"),
            (temp.Combine("x", "..", "not-a-job"), "must be a normalised path"),
        ];
        foreach (var (output, _) in refusals)
        {
            await pipeline.Bus.Publish(new PredictionBlockRequested(output, 0, DateTimeOffset.UtcNow));
        }

        await pipeline.UntilAsync(() => pipeline.Logs.Matching(Refused).Count >= refusals.Length, TimeSpan.FromMinutes(1), "every bad block message refused");
        foreach (var (output, reason) in refusals)
        {
            Assert.Contains(pipeline.Logs.Matching(Refused), line => line.Contains(output, StringComparison.Ordinal) && line.Contains(reason, StringComparison.Ordinal));
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(notAJob));
        Assert.False(Directory.Exists(temp.Combine("missing.zarr")));

        // The predictor still takes blocks: a job's block index past its plan is refused, its real blocks are done.
        var (model, segmenter, dispatcher, _, _) = await SharedJobAsync(pipeline, temp, Variants.OneHot);
        using (model)
        {
            await pipeline.Bus.Publish(new PredictionBlockRequested(segmenter.Output.Root, segmenter.Plan.Count, DateTimeOffset.UtcNow));
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var result = await dispatcher.RunAsync(null, limit.Token);

            Assert.Equal(segmenter.Plan.Count, result.BlocksComputed);
            Assert.True(segmenter.Output.IsComplete());
            await pipeline.UntilAsync(() => pipeline.Logs.Matching(Refused).Count(l => l.Contains($"the job has blocks 0 to {segmenter.Plan.Count - 1}", StringComparison.Ordinal)) == 1, TimeSpan.FromMinutes(1), "the block past the plan refused");
        }
    }

    [Fact]
    public async Task Blocks_a_predictor_gives_up_on_come_back_as_failures_with_their_reason_and_a_rerun_does_them()
    {
        await using var pipeline = new BrokerPipeline(broker.AmqpUri);
        await pipeline.StartAsync([PredictorRole.Name]);
        using var temp = new TempDirectory();
        var (model, segmenter, dispatcher, _, checkpoint) = await SharedJobAsync(pipeline, temp, Variants.OneHot);
        using (model)
        {
            // The job's copy of the weights damaged on the shared folder: every predictor refuses to load it, for good.
            var weights = Path.Combine(segmenter.Output.ModelFolder, Checkpoint.ModelFile);
            await File.AppendAllTextAsync(weights, "x");
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));

            var failed = await Assert.ThrowsAsync<BlocksFailedException>(() => dispatcher.RunAsync(null, limit.Token));

            Assert.Equal(Enumerable.Range(0, segmenter.Plan.Count), failed.Failures.Select(f => f.Index));
            Assert.All(failed.Failures, f => Assert.Contains(segmenter.Output.ModelFolder, f.Reason, StringComparison.Ordinal));
            Assert.Empty(segmenter.Output.ListDone());

            // Put right (the next dispatch copies the model again), the same dispatch does every block and finishes.
            File.Delete(weights);
            dispatcher.ShareModel(checkpoint);
            var result = await dispatcher.RunAsync(null, limit.Token);
            Assert.Equal(segmenter.Plan.Count, result.BlocksComputed);
            Assert.Empty(segmenter.Output.ReadFailures());
            Assert.True(segmenter.Output.IsComplete());
        }
    }

    /// <summary>
    /// <see cref="BlockwisePredictionTests"/>' 18-block job of a zarr-python volume in <paramref name="temp"/>, planned for
    /// predictors (its input array recorded, its model copied beside it), and a dispatcher on the pipeline's bus.
    /// </summary>
    private static async Task<(LoadedModel Model, BlockwiseSegmenter Segmenter, BlockDispatcher Dispatcher, RawSource Input, string Checkpoint)> SharedJobAsync(BrokerPipeline pipeline, TempDirectory temp, string variant)
    {
        var (model, checkpoint, raw) = await BlockwisePredictionTests.ModelAndInputAsync(temp, variant);
        var input = RawSource.FromArray(ZarrArray.Open(raw.Path));
        var segmenter = BlockwisePredictionTests.Open(model, input, temp.Combine("distributed.zarr"), force: false, Path.GetFullPath(raw.Path));
        var dispatcher = new BlockDispatcher(pipeline.Bus, segmenter, TimeSpan.FromMilliseconds(100));
        dispatcher.ShareModel(checkpoint);
        return (model, segmenter, dispatcher, input, checkpoint);
    }

    /// <summary>The blocks a predictor process logged as started.</summary>
    private static List<int> Started(string output) => [.. StartedLine().Matches(output).Select(m => int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture))];

    /// <summary>The blocks a predictor process logged as done.</summary>
    private static List<int> Finished(string output) => [.. FinishedLine().Matches(output).Select(m => int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture))];

    /// <summary>A child process's console is 80 columns wide: lines wrap where there was a space.</summary>
    private static string Flat(string printed) => Regex.Replace(printed, @"\s+", " ");

    [GeneratedRegex(@"block (?<index>\d+) of \S+ started")]
    private static partial Regex StartedLine();

    [GeneratedRegex(@"block (?<index>\d+) of \S+ done in")]
    private static partial Regex FinishedLine();

    /// <summary>
    /// A workspace with a promoted tiny model, a raw volume written by zarr-python, and the environment that points hd
    /// processes at the broker under a queue prefix of their own.
    /// </summary>
    private sealed class PredictionJob : IDisposable
    {
        private readonly TempDirectory temp = new();
        private readonly string prefix = "p" + Guid.NewGuid().ToString("N")[..8];
        private readonly Uri amqp;
        private string raw = string.Empty;

        private PredictionJob(Uri amqp) => this.amqp = amqp;

        public string Workspace => temp.Combine("workspace");

        /// <summary>The predictors' shared queue.</summary>
        public string Queue => $"{prefix}-prediction-block-requested";

        public static async Task<PredictionJob> CreateAsync(Uri amqpUri)
        {
            var job = new PredictionJob(amqpUri);
            var models = new SiteTestModels(job.Workspace);
            var promoted = await models.PromoteAsync(1);
            (job.raw, var volume) = await ZarrPythonRaw.WriteAsync(job.temp, Volume, seed: 3);
            // Thresholds at the model's own median, so masks are neither empty nor full (the registry checks the weights' hash).
            var version = models.VersionDirectory(1);
            using (var model = LoadedModel.FromDirectory(version, 1, promoted.Sha256))
            {
                Checkpoint.AttachPostProcessing(version, BlockwisePredictionTests.MedianThresholds(model, volume, new TilingOptions { CoreSize = [32, 32, 32], BatchSize = 2 }));
            }

            return job;
        }

        public string Output(string name) => temp.Combine(name);

        public Dictionary<string, string> Environment(string? worker = null)
        {
            var environment = new Dictionary<string, string>
            {
                [EnvironmentAliases.Workspace] = Workspace,
                [EnvironmentAliases.RabbitMq] = amqp.ToString(),
                [EnvironmentAliases.QueuePrefix] = prefix,
                ["HD_PREDICTOR__TORCHTHREADS"] = "1",
                [EnvironmentAliases.Catalog] = "none",
            };
            if (worker is not null)
            {
                environment["HD_PREDICTOR__WORKERNAME"] = worker;
            }

            return environment;
        }

        public string[] PredictArguments(string output, bool distribute) =>
            ["predict", "--model", "1", "--input", raw, "--output", Output(output), "--block", "64", "--tile", "32", "--device", "cpu", .. distribute ? ["--distribute"] : Array.Empty<string>()];

        public Task<(int ExitCode, string Output)> RunHdAsync(string[] arguments) => HdProcess.RunAsync(arguments, Environment(), TimeSpan.FromMinutes(4));

        /// <summary>Runs hd predict and returns the output folder, failing with what it printed unless it succeeded.</summary>
        public async Task<string> PredictAsync(string output, bool distribute)
        {
            var (exitCode, printed) = await RunHdAsync(PredictArguments(output, distribute));
            Assert.True(exitCode == 0, printed);
            var mask = ZarrArray.Open(SegmentationZarrWriter.Level0(Output(output), SegmentationZarrWriter.SemanticGroup, "mito")).Read<byte>();
            Assert.Contains(mask, v => v == 0);
            Assert.Contains(mask, v => v == 1);
            return Output(output);
        }

        public RoleProcess StartPredictor(string name) => RoleProcess.Start(PredictorRole.Name, Environment(name));

        public void Dispose() => temp.Dispose();
    }
}
