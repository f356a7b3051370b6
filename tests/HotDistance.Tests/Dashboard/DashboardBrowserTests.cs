using System.Globalization;
using System.Text.Json;
using HotDistance.Catalog;
using HotDistance.Catalog.Status;
using HotDistance.Charts;
using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Dashboard;
using HotDistance.Evaluator;
using HotDistance.Hosting;
using HotDistance.Tests.Infrastructure;
using HotDistance.Tests.Pipeline;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PuppeteerSharp;

namespace HotDistance.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser (headless chromium) over a workspace a short pipeline run produced: the page
/// loads with no console error, shows the figures <c>hd status --json</c> prints, and follows a training live.
/// </summary>
public sealed class DashboardBrowserTests(HeadlessChromium chromium) : IClassFixture<HeadlessChromium>
{
    private static readonly TimeSpan PageLimit = TimeSpan.FromSeconds(60);

    /// <summary>Where the README's screenshots come from: set it to refresh them (docs/dashboard-*.png).</summary>
    private const string ScreenshotVariable = "HD_DASHBOARD_SCREENSHOTS";

    [Fact]
    public async Task The_page_shows_a_pipeline_run_with_the_figures_hd_status_prints_and_no_console_error()
    {
        using var temp = new TempDirectory();
        var workspace = temp.Combine("workspace");
        var settings = Serving(InProcessPipeline.Settings(workspace));
        using var host = PipelineHost.Build(settings, [.. PipelineRoles.All, DashboardRole.Name]);
        await host.StartAsync();
        try
        {
            var catalog = host.Services.GetRequiredService<IPipelineCatalog>();
            var bus = host.Services.GetRequiredService<IBus>();
            await InProcessPipeline.IngestFirstCropsAsync(bus, temp);
            await Eventually.Until(
                async () => (await catalog.ReadStatusAsync(StatusLimits.Default, CancellationToken.None)).Champion is not null,
                TimeSpan.FromMinutes(4),
                "the first generation's promotion");

            var (exitCode, output) = await HdProcess.RunAsync(["status", "--json", "--workspace", workspace], new Dictionary<string, string>());
            Assert.True(exitCode == 0, output);
            using var expected = JsonDocument.Parse(output);
            var root = expected.RootElement;
            var generation = root.GetProperty("generations")[0];
            var evaluation = root.GetProperty("evaluations")[0];
            var version = root.GetProperty("registry_champion").GetProperty("version").GetInt32();

            await using var page = await chromium.OpenAsync(Address(host));
            // Once the newest evaluation and the champion are on the page, every figure of this read is.
            await page.WaitForAsync(
                $"document.querySelector('#champion').dataset.version === '{version}' && document.querySelector('[data-evaluation=\"{evaluation.GetProperty("evaluation_id").GetString()}\"]') !== null",
                PageLimit);

            Assert.Equal(root.GetProperty("crops").GetProperty("total").GetInt64(), await ValueAsync(page, "[data-field=crops-total]"));
            foreach (var split in root.GetProperty("crops").GetProperty("by_split").EnumerateArray())
            {
                Assert.Equal(split.GetProperty("crops").GetInt64(), await ValueAsync(page, $"[data-split=\"{split.GetProperty("split").GetString()}\"]"));
            }

            var generationId = generation.GetProperty("generation_id").GetString();
            Assert.Equal(3, generation.GetProperty("jobs").GetArrayLength());
            foreach (var job in generation.GetProperty("jobs").EnumerateArray())
            {
                var row = $"[data-job=\"{generationId}/{job.GetProperty("variant").GetString()}\"]";
                Assert.Equal(job.GetProperty("state").GetString(), await TextAsync(page, $"{row} [data-field=state]"));
                Assert.Equal(job.GetProperty("step").GetInt64(), await ValueAsync(page, $"{row} [data-field=step]"));
                Assert.Equal(job.GetProperty("loss").GetDouble(), await NumberAsync(page, $"{row} [data-field=loss]"));
            }

            var evaluationRow = $"[data-evaluation=\"{evaluation.GetProperty("evaluation_id").GetString()}\"]";
            foreach (var score in evaluation.GetProperty("scores").EnumerateArray())
            {
                var model = $"{evaluationRow} [data-score=\"{score.GetProperty("variant").GetString()}/{score.GetProperty("role").GetString()}\"]";
                Assert.Equal(score.GetProperty("overall").GetDouble(), await NumberAsync(page, $"{model} [data-field=overall]"));
                foreach (var perClass in score.GetProperty("per_class").EnumerateObject())
                {
                    Assert.Equal(perClass.Value.GetDouble(), await NumberAsync(page, $"{model} [data-field=\"class-{perClass.Name}\"]"));
                }
            }

            Assert.Equal(evaluation.GetProperty("winner").GetString(), await TextAsync(page, $"{evaluationRow} [data-field=winner] .variant-name"));
            Assert.Equal($"v{version}", await TextAsync(page, $"[data-promotion=\"{generationId}\"] [data-field=version]"));

            // Each variant in the colour every chart and report gives it.
            foreach (var variant in Variants.All)
            {
                var color = VariantColors.Of(variant);
                Assert.Equal(
                    $"rgb({color.R}, {color.G}, {color.B})",
                    await page.EvaluateAsync<string>($"getComputedStyle(document.querySelector('[data-job=\"{generationId}/{variant}\"] .variant-name'), '::before').backgroundColor"));
            }

            // Every job's loss curve, one series per variant with a point per recorded step.
            await page.WaitForAsync($"document.querySelectorAll('[data-loss-chart=\"{generationId}\"] [data-series]').length === 3", PageLimit);
            await SaveScreenshotAsync(page, "dashboard-run.png");

            // The report opens from the page.
            var report = await page.EvaluateAsync<string>($"document.querySelector('{evaluationRow} a').href");
            var response = await page.Page.GoToAsync(report);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.Status);
            Assert.Contains("text/html", response.Headers["content-type"], StringComparison.Ordinal);

            Assert.Empty(page.Problems);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task A_training_in_progress_updates_on_the_page_without_a_reload()
    {
        using var temp = new TempDirectory();
        using var host = PipelineHost.Build(Serving(InProcessPipeline.Settings(temp.Combine("workspace"))), [DashboardRole.Name]);
        await host.StartAsync();
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            await bus.Publish(new TrainingProgressed("gen-0007", Variants.HotDistance, 1, 10, 0.91, 2.5, "runner-a"));
            await using var page = await chromium.OpenAsync(Address(host));
            var row = $"[data-job=\"gen-0007/{Variants.HotDistance}\"]";
            await page.WaitForAsync($"document.querySelector('{row} [data-field=step]')?.dataset.value === '1'", PageLimit);
            await page.EvaluateAsync<bool>("window.sameDocument = true");

            // The trainer reports more steps; the page follows them through the bus, the catalog and its polling.
            await bus.Publish(new TrainingProgressed("gen-0007", Variants.HotDistance, 4, 10, 0.52, 2.6, "runner-a"));
            await bus.Publish(new TrainingProgressed("gen-0007", Variants.HotDistance, 6, 10, 0.37, 2.6, "runner-a"));
            await page.WaitForAsync($"document.querySelector('{row} [data-field=step]')?.dataset.value === '6'", PageLimit);
            Assert.Equal(0.37, await NumberAsync(page, $"{row} [data-field=loss]"));
            Assert.Equal("running", await TextAsync(page, $"{row} [data-field=state]"));
            Assert.Equal(6, await page.EvaluateAsync<int>($"Number(document.querySelector('{row} progress').value)"));
            await page.WaitForAsync(
                $"document.querySelectorAll('[data-loss-chart=\"gen-0007\"] [data-series=\"{Variants.HotDistance}\"] circle').length === 3", PageLimit);
            Assert.True(await page.EvaluateAsync<bool>("window.sameDocument === true"), "the page reloaded instead of updating");
            Assert.Empty(page.Problems);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Sites_nights_and_a_decisions_intervals_show_as_their_events_recorded_them()
    {
        using var temp = new TempDirectory();
        using var host = PipelineHost.Build(Serving(InProcessPipeline.Settings(temp.Combine("workspace"))), [DashboardRole.Name]);
        await host.StartAsync();
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            var now = DateTimeOffset.UtcNow;
            await bus.Publish(new SiteReported("lab-a", "hotdistance", 2, new string('a', 64), now));
            await bus.Publish(new SiteReported("lab-b", "hotdistance", 1, new string('b', 64), now));
            await bus.Publish(new NightlyEvaluationCompleted("2026-12-05", now.AddDays(-2), [], ["held"], 0.61, null, false, false, "steady", now.AddDays(-2)));
            await bus.Publish(new NightlyEvaluationCompleted("2026-12-06", now.AddDays(-1), [], ["held"], 0.52, 0.61, true, true, "the champion fell 0.09", now.AddDays(-1)));
            ModelScore Score(string role, double overall) => new(Variants.OneHot, role, "ckpt", new string('c', 64), overall, new Dictionary<string, double> { ["mito"] = overall });
            var challenger = Score(ModelRoles.Challenger, 0.7);
            await bus.Publish(new EvaluationCompleted(
                "gen-0002-eval", "gen-0002", 2, [challenger, Score(ModelRoles.Champion, 0.6)], challenger, "one-hot beats the champion", ["held"], ["train"],
                "evaluations/gen-0002-eval/report.html", now,
                new PromotionDecision("the interval's lower bound clears the margin", 0.01, 1000, 7, 0.95,
                    [new ChallengerComparison(Variants.OneHot, "ckpt", 0.7, 0.6, 0.1, 0.03, 0.17, true)])));

            await using var page = await chromium.OpenAsync(Address(host));
            await page.WaitForAsync(
                "document.querySelector('[data-comparison]') && document.querySelectorAll('[data-site]').length === 2 && document.querySelectorAll('[data-night]').length === 2",
                PageLimit);
            Assert.Equal("hotdistance v2", await TextAsync(page, "[data-site=\"lab-a\"] [data-field=version]"));
            Assert.Equal("hotdistance v1", await TextAsync(page, "[data-site=\"lab-b\"] [data-field=version]"));
            Assert.Equal(0.52, await NumberAsync(page, "[data-night=\"2026-12-06\"] [data-field=champion_overall]"));
            Assert.Equal("regression: retraining", await TextAsync(page, "[data-night=\"2026-12-06\"] .regression"));
            Assert.Equal(2, await page.EvaluateAsync<int>("document.querySelectorAll('#nightly svg circle').length"));
            var comparison = $"[data-comparison=\"{Variants.OneHot}\"]";
            Assert.Equal(0.1, await NumberAsync(page, $"{comparison} [data-field=difference]"));
            Assert.Equal("[0.030, 0.170]", await TextAsync(page, $"{comparison} [data-field=interval]"));
            Assert.Contains("95% interval", await TextAsync(page, "[data-evaluation=\"gen-0002-eval\"] table:last-of-type thead"), StringComparison.Ordinal);
            await SaveScreenshotAsync(page, "dashboard-sites.png");
            Assert.Empty(page.Problems);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task A_dashboard_that_stops_answering_says_so_and_keeps_the_last_figures()
    {
        using var temp = new TempDirectory();
        using var host = PipelineHost.Build(Serving(InProcessPipeline.Settings(temp.Combine("workspace"))), [DashboardRole.Name]);
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<IBus>();
        await bus.Publish(new TrainingProgressed("gen-0003", Variants.OneHot, 2, 10, 0.8, 1.0, "runner-a"));
        await using var page = await chromium.OpenAsync(Address(host));
        await page.WaitForAsync("document.querySelector('[data-job=\"gen-0003/one-hot\"]') !== null", PageLimit);

        await host.StopAsync();
        await page.WaitForAsync("document.querySelector('#connection').classList.contains('down')", PageLimit);
        Assert.StartsWith("the dashboard did not answer", await TextAsync(page, "#connection"), StringComparison.Ordinal);
        Assert.Equal(2, await ValueAsync(page, "[data-job=\"gen-0003/one-hot\"] [data-field=step]"));
    }

    /// <summary>The dashboard on a free port, refreshing often so the tests wait little.</summary>
    private static HostSettings Serving(HostSettings settings) =>
        settings with { Dashboard = new DashboardSettings { Port = 0, Refresh = TimeSpan.FromMilliseconds(200) } };

    private static Uri Address(IHost host) => host.Services.GetRequiredService<DashboardServer>().Address!;

    private static Task<string> TextAsync(WatchedPage page, string selector) =>
        page.EvaluateAsync<string>($"document.querySelector('{selector}').textContent.trim()");

    private static async Task<long> ValueAsync(WatchedPage page, string selector) =>
        long.Parse(await page.EvaluateAsync<string>($"document.querySelector('{selector}').dataset.value"), CultureInfo.InvariantCulture);

    private static async Task<double> NumberAsync(WatchedPage page, string selector) =>
        double.Parse(await page.EvaluateAsync<string>($"document.querySelector('{selector}').dataset.value"), CultureInfo.InvariantCulture);

    private static async Task SaveScreenshotAsync(WatchedPage page, string name)
    {
        if (Environment.GetEnvironmentVariable(ScreenshotVariable) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.Page.ScreenshotAsync(Path.Combine(folder, name), new ScreenshotOptions { FullPage = true });
        }
    }
}
