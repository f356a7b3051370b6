using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using HotDistance.Core.Workspace;
using HotDistance.Dashboard;
using HotDistance.Hosting;
using HotDistance.Tests.Infrastructure;
using HotDistance.Tests.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HotDistance.Tests.Dashboard;

/// <summary>
/// Who may read the dashboard and what it hands out: a token when it listens beyond loopback, and from the workspace
/// only an evaluation's report files, never a path the address makes up.
/// </summary>
public sealed class DashboardAccessTests
{
    [Fact]
    public async Task With_a_token_only_requests_that_carry_it_are_answered()
    {
        using var temp = new TempDirectory();
        await using var dashboard = await ServeAsync(temp, new DashboardSettings { Port = 0, Token = "s3cret-token" });
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = dashboard.Address };

        using (var anonymous = await client.GetAsync("api/status"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.DoesNotContain("catalog", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "api/status") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-tokeN") } })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrong)).StatusCode);
        }

        using (var bearer = new HttpRequestMessage(HttpMethod.Get, "api/status") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-token") } })
        {
            using var answer = await client.SendAsync(bearer);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.True(JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.TryGetProperty("crops", out _));
        }

        // A browser brings the token once in the address: it becomes a cookie, and the address loses it.
        using var first = await client.GetAsync("?token=s3cret-token");
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal("/", first.Headers.Location!.OriginalString);
        var cookie = Assert.Single(first.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "api/status") { Headers = { { "Cookie", cookie.Split(';')[0] } } };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(withCookie)).StatusCode);
    }

    [Fact]
    public async Task Without_a_token_a_dashboard_beyond_loopback_does_not_start()
    {
        using var temp = new TempDirectory();
        var exception = await Assert.ThrowsAsync<ArgumentException>(() => ServeAsync(temp, new DashboardSettings { Port = 0, Address = "0.0.0.0" }));
        Assert.Contains("dashboard:token", exception.Message, StringComparison.Ordinal);

        // hd serve says the same before it binds anything, naming the key and where the value came from.
        var (exitCode, output) = await HdProcess.RunAsync(
            ["serve", "--workspace", temp.Combine("workspace"), "--port", "0"],
            new Dictionary<string, string> { ["HD_DASHBOARD__ADDRESS"] = "0.0.0.0" });
        Assert.Equal(2, exitCode);
        Assert.Contains("dashboard:token", output, StringComparison.Ordinal);
        Assert.DoesNotContain("dashboard on", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_an_evaluations_report_files_are_served_from_the_workspace()
    {
        using var temp = new TempDirectory();
        await using var dashboard = await ServeAsync(temp, new DashboardSettings { Port = 0 });
        var workspace = new WorkspaceLayout(temp.Combine("workspace"));
        var evaluation = workspace.Evaluation("gen-0001-eval");
        Directory.CreateDirectory(evaluation);
        await File.WriteAllTextAsync(Path.Combine(evaluation, "report.html"), "<html>the report</html>");
        await File.WriteAllTextAsync(Path.Combine(evaluation, "notes.txt"), "not a report file");
        await File.WriteAllTextAsync(temp.Combine("secret.html"), "outside the workspace");
        File.CreateSymbolicLink(Path.Combine(evaluation, "linked.html"), temp.Combine("secret.html"));
        Directory.CreateSymbolicLink(workspace.Evaluation("gen-0002-eval"), temp.Path);
        using var client = new HttpClient { BaseAddress = dashboard.Address };

        using (var report = await client.GetAsync("evaluations/gen-0001-eval/report.html"))
        {
            Assert.Equal(HttpStatusCode.OK, report.StatusCode);
            Assert.Equal("text/html", report.Content.Headers.ContentType!.MediaType);
            Assert.Equal("<html>the report</html>", await report.Content.ReadAsStringAsync());
        }

        foreach (var refused in new[]
        {
            "evaluations/gen-0001-eval/notes.txt",
            "evaluations/gen-0001-eval/linked.html",
            "evaluations/gen-0002-eval/secret.html",
            "evaluations/..%2F..%2Fsecret.html/report.html",
            "evaluations/gen-0001-eval/..%2F..%2F..%2Fsecret.html",
            "evaluations/gen-0001-eval/missing.html",
        })
        {
            using var answer = await client.GetAsync(refused);
            Assert.True(answer.StatusCode == HttpStatusCode.NotFound, $"{refused}: {answer.StatusCode}");
        }
    }

    [Fact]
    public async Task A_page_that_names_no_icon_gets_the_dashboards_icon()
    {
        using var temp = new TempDirectory();
        await using var dashboard = await ServeAsync(temp, new DashboardSettings { Port = 0 });
        using var client = new HttpClient { BaseAddress = dashboard.Address };

        // The reports name no icon, so a browser showing one asks for /favicon.ico; a 404 there is a console error.
        using var named = await client.GetAsync("favicon.svg");
        using var asked = await client.GetAsync("favicon.ico");
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Equal("image/svg+xml", asked.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("<svg", (await asked.Content.ReadAsStringAsync()).TrimStart(), StringComparison.Ordinal);
        Assert.Equal(await named.Content.ReadAsStringAsync(), await asked.Content.ReadAsStringAsync());
    }

    private static async Task<RunningDashboard> ServeAsync(TempDirectory temp, DashboardSettings dashboard)
    {
        var host = PipelineHost.Build(InProcessPipeline.Settings(temp.Combine("workspace")) with { Dashboard = dashboard }, [DashboardRole.Name]);
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new RunningDashboard(host);
    }

    private sealed class RunningDashboard(IHost host) : IAsyncDisposable
    {
        public Uri Address { get; } = host.Services.GetRequiredService<DashboardServer>().Address!;

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
