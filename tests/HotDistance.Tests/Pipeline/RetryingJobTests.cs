using HotDistance.Catalog;
using HotDistance.Catalog.Status;
using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.Workspace;
using HotDistance.Hosting;
using HotDistance.Tests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.Tests.Pipeline;

/// <summary>
/// A training job whose attempts fail for a while (its folder cannot be made, as on a share that is away) is shown
/// as retrying, with the attempt and the reason, never as failed; once the cause is gone a retry trains it and the
/// reason goes.
/// </summary>
public sealed class RetryingJobTests
{
    [Fact]
    public async Task A_job_whose_attempts_fail_is_shown_retrying_with_the_reason_until_a_retry_trains_it()
    {
        using var temp = new TempDirectory();
        var workspace = new WorkspaceLayout(temp.Combine("workspace"));

        // A file where the distance job's folder belongs: its attempts fail until the file goes.
        var blocked = workspace.Checkpoint("gen-0001", Variants.Distance);
        Directory.CreateDirectory(Path.GetDirectoryName(blocked)!);
        await File.WriteAllTextAsync(blocked, "in the way");

        var events = new PipelineEvents();
        using var host = PipelineHost.Build(InProcessPipeline.Settings(workspace.Root), PipelineRoles.All, (services, bus) => PipelineObserver.Register(services, bus, events));
        await host.StartAsync();
        try
        {
            var catalog = host.Services.GetRequiredService<IPipelineCatalog>();
            var bus = host.Services.GetRequiredService<IBus>();
            await InProcessPipeline.IngestFirstCropsAsync(bus, temp);

            var retrying = await WaitForJobAsync(catalog, j => j.State == JobStates.Retrying, "the job to be shown retrying");
            Assert.Matches(@"^attempt [1-5] of 6 failed: IOException: ", retrying.Failure);
            Assert.Empty(events.FailuresOf("gen-0001"));

            File.Delete(blocked);
            var done = await WaitForJobAsync(catalog, j => j.State == JobStates.Done, "a retry to train the job");
            Assert.Null(done.Failure);
            Assert.Empty(events.FailuresOf("gen-0001"));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task<JobStatus> WaitForJobAsync(IPipelineCatalog catalog, Func<JobStatus, bool> condition, string what)
    {
        JobStatus? job = null;
        await Eventually.Until(
            async () =>
            {
                var status = await catalog.ReadStatusAsync(StatusLimits.Default, default);
                job = status.Generations.SingleOrDefault(g => g.GenerationId == "gen-0001")?.Jobs.SingleOrDefault(j => j.Variant == Variants.Distance);
                return job is not null && condition(job);
            },
            TimeSpan.FromMinutes(2),
            what,
            () => $"the job is {job?.State ?? "not recorded"} ({job?.Failure})");
        return job!;
    }
}
