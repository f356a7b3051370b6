using HotDistance.Cli;
using HotDistance.Core;
using HotDistance.Core.IO;
using HotDistance.Hosting;
using HotDistance.Hosting.Health;
using HotDistance.Tests.Cli;
using Microsoft.Extensions.Hosting;

namespace HotDistance.Tests.Hosting;

/// <summary>
/// A host writes its health (bus, workspace, registry) for <c>hd health</c>, which a container's health check
/// calls: healthy while the host runs and its checks pass, unhealthy when a check fails or the host falls silent.
/// </summary>
[Collection(HdConsoleCollectionDefinition.Name)]
public sealed class HostHealthTests
{
    [Fact]
    public async Task Hd_health_is_healthy_while_the_host_runs_and_not_when_a_check_fails_or_the_host_is_silent()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("health.json");
        var settings = new HostSettings { Pipeline = new PipelineSettings { Workspace = temp.Combine("workspace") }, HealthFile = file, Catalog = "none" };
        using (var host = PipelineHost.Build(settings, PipelineRoles.All))
        {
            await host.StartAsync();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!(File.Exists(file) && AtomicFile.ReadJson<HostHealth>(file)!.Healthy))
            {
                Assert.True(DateTime.UtcNow < deadline, File.Exists(file) ? File.ReadAllText(file) : "no health file");
                await Task.Delay(100);
            }

            var health = AtomicFile.ReadJson<HostHealth>(file)!;
            Assert.Contains(health.Checks, c => c.Name == "workspace" && c.Healthy);
            Assert.Contains(health.Checks, c => c.Name == "registry" && c.Healthy);
            Assert.Contains(health.Checks, c => c.Name.StartsWith("masstransit", StringComparison.OrdinalIgnoreCase) && c.Healthy);
            var (healthy, said) = await HdInProcess.RunAsync("health", "--file", file);
            Assert.True(healthy == ExitCodes.Success, said);
            Assert.StartsWith("healthy: ", said, StringComparison.Ordinal);
            await host.StopAsync();
        }

        // A check that failed, as the host wrote it.
        var written = AtomicFile.ReadJson<HostHealth>(file)!;
        AtomicFile.WriteJson(file, written with { Healthy = false, Checks = [.. written.Checks, new HostHealthCheck("registry", false, "no answer")] });
        var (failed, failure) = await HdInProcess.RunAsync("health", "--file", file);
        Assert.Equal(ExitCodes.Unavailable, failed);
        Assert.Contains("unhealthy: registry: no answer", failure, StringComparison.Ordinal);

        // A host that stopped writing.
        AtomicFile.WriteJson(file, written with { CheckedAt = DateTimeOffset.UtcNow.AddMinutes(-5) });
        var (silent, silence) = await HdInProcess.RunAsync("health", "--file", file);
        Assert.Equal(ExitCodes.Unavailable, silent);
        Assert.Contains("has not written its health", silence, StringComparison.Ordinal);
    }
}
