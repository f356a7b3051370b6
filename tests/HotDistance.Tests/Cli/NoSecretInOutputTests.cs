using HotDistance.Hosting;
using HotDistance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace HotDistance.Tests.Cli;

/// <summary>
/// Every verb that reads a setting with a password (broker, MLflow, catalog) prints, on success or on failure,
/// no password: each runs as its own hd process with credentials in every setting, against servers that are not
/// there, so the error paths that quote a URI are the ones exercised.
/// </summary>
public sealed class NoSecretInOutputTests(ITestOutputHelper output)
{
    private const string Secret = "s3cret-PA55word";

    [Fact]
    public async Task No_verb_prints_a_password_from_any_setting()
    {
        using var temp = new TempDirectory();
        var closed = LoopbackPorts.Reserve(3);
        var environment = new Dictionary<string, string>
        {
            ["HD_WORKSPACE"] = temp.Combine("workspace"),
            ["HD_RABBITMQ"] = $"amqp://hd:{Secret}@127.0.0.1:{closed[0]}/",
            ["HD_REGISTRY"] = "mlflow",
            ["MLFLOW_TRACKING_URI"] = $"http://hd:{Secret}@127.0.0.1:{closed[1]}/",
            ["MLFLOW_TRACKING_PASSWORD"] = Secret,
            ["HD_CATALOG"] = $"postgres://hd:{Secret}@127.0.0.1:{closed[2]}/hd",
        };
        foreach (var user in BrokerDefinitions.Users)
        {
            environment[BrokerDefinitions.PasswordVariable(user)] = Secret;
        }

        string[][] verbs =
        [
            ["doctor"],
            ["status"],
            ["status", "--json"],
            ["status", "--catalog", $"Host=127.0.0.1;Port={closed[2]};Username=hd;Password={Secret};Database=hd"],
            ["ingest", temp.Combine("no-such-crop.zarr")],
            ["run", "--roles", "trainer"],
            ["site", "--dir", temp.Combine("site")],
            ["rollback", "--reason", "test"],
            ["predict", "--model", "champion", "--input", temp.Combine("raw.zarr"), "--output", temp.Combine("out.zarr")],
            ["doctor", "--rabbitmq", $"amqp://hd:{Secret}@127.0.0.1:port/"],
            ["broker-definitions"],
            ["config", "show"],
            ["config", "show", "--json"],
        ];

        var runs = await Task.WhenAll(verbs.Select(verb => HdProcess.RunAsync(verb, environment)));

        for (var i = 0; i < verbs.Length; i++)
        {
            var (exitCode, printed) = runs[i];
            var verb = string.Join(' ', verbs[i]).Replace(Secret, "<secret>", StringComparison.Ordinal);
            output.WriteLine($"hd {verb}: exit {exitCode}{Environment.NewLine}{printed.Replace(Secret, "<SECRET>", StringComparison.Ordinal)}");
            Assert.True(exitCode >= 0, $"hd {verb} did not finish in time:{Environment.NewLine}{printed}");
            Assert.False(string.IsNullOrWhiteSpace(printed), $"hd {verb} printed nothing");
            Assert.DoesNotContain(Secret, Flat(printed), StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", printed, StringComparison.Ordinal);
        }

        // With every server down, each verb that needs one says so with exit 3 (the last four need none: a bad URI is
        // bad input, the definitions are computed offline, the configuration is read, with each credential as ***).
        Assert.All(runs[..^4], run => Assert.True(run.ExitCode == 3, run.Output.Replace(Secret, "<SECRET>", StringComparison.Ordinal)));
        Assert.Equal((2, 0, 0, 0), (runs[^4].ExitCode, runs[^3].ExitCode, runs[^2].ExitCode, runs[^1].ExitCode));
        Assert.Contains("\"mlflowPassword\":{\"value\":\"***\"", Flat(runs[^1].Output), StringComparison.Ordinal);

        // The doctor asks the registry and the catalog too, and says that neither answers.
        Assert.True(runs[0].ExitCode == 3, runs[0].Output);
        Assert.Contains("registryanswersno:", Flat(runs[0].Output), StringComparison.Ordinal);
        Assert.Contains("catalognoanswer:", Flat(runs[0].Output), StringComparison.Ordinal);

        // The doctor still says where things are, with the password masked.
        Assert.Contains($"amqp://hd:***@127.0.0.1:{closed[0]}/", Flat(runs[0].Output), StringComparison.Ordinal);
        Assert.Contains($"http://hd:***@127.0.0.1:{closed[1]}/", Flat(runs[0].Output), StringComparison.Ordinal);
    }

    /// <summary>The output without white space and box-drawing characters, so a value wrapped in a table cell reads whole.</summary>
    private static string Flat(string text) => new(text.Where(c => !char.IsWhiteSpace(c) && c is < '\u2500' or > '\u257F').ToArray());
}
