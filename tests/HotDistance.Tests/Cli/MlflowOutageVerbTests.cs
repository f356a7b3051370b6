using System.Text;
using HotDistance.Cli;
using HotDistance.Mlflow;
using HotDistance.SiteAgent;
using HotDistance.Tests.Infrastructure;
using HotDistance.Tests.Mlflow;
using HotDistance.Tests.SiteAgent;
using Xunit.Abstractions;

namespace HotDistance.Tests.Cli;

/// <summary>
/// The verbs an inference site and the on-call engineer use against MLflow (hd site --once, hd rollback, hd predict),
/// each as its own process, when MLflow is down, refuses the credentials, or serves a model that fails its checksum:
/// one line naming MLflow and exit 3 for the first two (it is unavailable to hd, as a broker that is down is), and a
/// refusal that says which version was refused and which the site keeps for the third.
/// </summary>
public sealed class MlflowOutageVerbTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(401, "You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html on how to authenticate.")]
    [InlineData(403, "Permission denied")]
    [InlineData(0, "")]
    public async Task Every_verb_gives_one_line_and_exit_3_when_MLflow_refuses_the_credentials_or_does_not_answer(int status, string body)
    {
        using var temp = new TempDirectory();
        using var server = new FakeMlflowServer();
        server.FailNext(1000, status, body, "text/plain");
        var trackingUri = status == 0 ? $"http://127.0.0.1:{LoopbackPorts.Reserve(1)[0]}/" : server.Uri.AbsoluteUri;
        var environment = Environment(temp, trackingUri);
        string[][] verbs =
        [
            ["site", "--dir", temp.Combine("site"), "--once"],
            ["rollback", "--reason", "v2 merges mitochondria"],
            ["predict", "--model", "champion", "--input", temp.Combine("raw.zarr"), "--output", temp.Combine("out.zarr")],
        ];

        var runs = await Task.WhenAll(verbs.Select(verb => HdProcess.RunAsync(verb, environment)));

        for (var i = 0; i < verbs.Length; i++)
        {
            var (exitCode, printed) = runs[i];
            output.WriteLine($"hd {string.Join(' ', verbs[i])}: exit {exitCode}{System.Environment.NewLine}{printed}");
            Assert.True(exitCode == ExitCodes.Unavailable, $"hd {verbs[i][0]} exited {exitCode}:{System.Environment.NewLine}{printed}");
            var message = OneMessage(printed);
            Assert.StartsWith("error: MLflow GET ", message, StringComparison.Ordinal);
            Assert.Contains(status == 0 ? "could not reach" : $"HTTP {status}", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_site_refuses_a_champion_that_fails_its_checksum_says_which_it_keeps_and_predict_refuses_it_too()
    {
        using var temp = new TempDirectory();
        using var server = new FakeMlflowServer();
        using var client = new MlflowClient(new MlflowClientOptions { TrackingUri = server.Uri });
        var models = new SiteTestModels(temp.Combine("workspace"), new MlflowModelRegistry(client));
        var environment = Environment(temp, server.Uri.AbsoluteUri, models.Workspace.Root);
        string[] site = ["site", "--dir", temp.Combine("site"), "--once"];
        await models.PromoteAsync(1);
        var (first, printedFirst) = await HdProcess.RunAsync(site, environment);
        Assert.True(first == ExitCodes.Success, printedFirst);

        await models.PromoteAsync(2);
        var secondWeights = await File.ReadAllBytesAsync(Path.Combine(models.SaveCheckpoint(2), "model.pt"));
        server.ReplaceArtifact(server.Artifacts.Single(a => a.Key.EndsWith("/model.pt", StringComparison.Ordinal) && a.Value.SequenceEqual(secondWeights)).Key, Encoding.UTF8.GetBytes("tampered weights"));

        var (refused, printedRefused) = await HdProcess.RunAsync(site, environment);
        output.WriteLine(printedRefused);
        Assert.True(refused == ExitCodes.Failure, printedRefused);
        Assert.Matches("^error: refused v2: .*SHA-256.*; the site keeps v1$", OneMessage(printedRefused));
        Assert.Equal(1, new SiteLayout(temp.Combine("site")).ReadCurrent()!.Version);

        var (predicted, printedPredict) = await HdProcess.RunAsync(
            ["predict", "--model", "champion", "--input", temp.Combine("raw.zarr"), "--output", temp.Combine("out.zarr")], environment);
        output.WriteLine(printedPredict);
        Assert.True(predicted == ExitCodes.Failure, printedPredict);
        Assert.Contains("SHA-256", printedPredict, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", printedPredict, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("out.zarr")));
    }

    /// <summary>
    /// The one error message the output must be, its lines joined: a redirected console wraps at 80 columns, but
    /// nothing else may be printed (no stack trace, no second error).
    /// </summary>
    private static string OneMessage(string printed)
    {
        var lines = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Single(lines, l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.StartsWith("error:", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.StartsWith("at ", StringComparison.Ordinal) || l.Contains("Unhandled", StringComparison.Ordinal));
        return string.Join(' ', lines);
    }

    private static Dictionary<string, string> Environment(TempDirectory temp, string trackingUri, string? workspace = null) => new()
    {
        ["HD_WORKSPACE"] = workspace ?? temp.Combine("workspace"),
        ["HD_REGISTRY"] = "mlflow",
        ["MLFLOW_TRACKING_URI"] = trackingUri,
    };
}
