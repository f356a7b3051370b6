using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using HotDistance.Catalog;
using HotDistance.Contracts;
using HotDistance.Tests.Infrastructure;

namespace HotDistance.Tests.Dashboard;

/// <summary><c>hd serve</c> as its own process: the dashboard alone, against a workspace and catalog other hosts write.</summary>
public sealed partial class ServeVerbTests
{
    [Fact]
    public async Task Hd_serve_alone_shows_what_another_process_records_and_needs_no_broker()
    {
        using var temp = new TempDirectory();
        var workspace = temp.Combine("workspace");
        var catalog = CatalogConnection.Parse(null, workspace).Open();
        await catalog.RecordAsync(new TrainingProgressed("gen-0009", Variants.Distance, 3, 8, 0.42, 1.5, "runner-b"), DateTimeOffset.UtcNow, CancellationToken.None);

        // A broker that does not answer: the dashboard must not need one.
        using var serve = RoleProcess.StartVerb(
            ["serve", "--workspace", workspace, "--port", "0"],
            new Dictionary<string, string> { ["HD_RABBITMQ"] = $"amqp://guest:guest@127.0.0.1:{LoopbackPorts.Reserve(1)[0]}/" });
        Uri? address = null;
        await Eventually.Until(
            () => (address = ListeningAt().Match(serve.Output) is { Success: true } match ? new Uri(match.Groups[1].Value) : null) is not null || serve.HasExited,
            TimeSpan.FromMinutes(1),
            "hd serve to say where it listens",
            () => serve.Output);
        Assert.True(address is not null, serve.Output);

        using var client = new HttpClient { BaseAddress = address };
        using var status = await client.GetFromJsonAsync<JsonDocument>("api/status");
        var generation = status!.RootElement.GetProperty("generations")[0];
        Assert.Equal("gen-0009", generation.GetProperty("generation_id").GetString());
        Assert.Equal(3, generation.GetProperty("jobs")[0].GetProperty("step").GetInt32());

        // A later event from another process shows on the next read.
        await catalog.RecordAsync(new TrainingProgressed("gen-0009", Variants.Distance, 5, 8, 0.31, 1.5, "runner-b"), DateTimeOffset.UtcNow, CancellationToken.None);
        using var later = await client.GetFromJsonAsync<JsonDocument>("api/status");
        Assert.Equal(5, later!.RootElement.GetProperty("generations")[0].GetProperty("jobs")[0].GetProperty("step").GetInt32());
        var curves = await client.GetFromJsonAsync<Dictionary<string, double[][]>>("api/generations/gen-0009/loss");
        Assert.Equal([[3, 0.42], [5, 0.31]], curves![Variants.Distance]);
        serve.Kill();
    }

    [GeneratedRegex(@"dashboard on (http://\S+/)")]
    private static partial Regex ListeningAt();
}
