using System.Collections.Concurrent;
using PuppeteerSharp;

namespace HotDistance.Tests.Dashboard;

/// <summary>
/// Debian's chromium, headless, shared by a test class (test.sh installs it; <c>HD_TEST_CHROMIUM</c> names another).
/// Each page records what a person would see go wrong: console errors, uncaught exceptions and failed requests.
/// </summary>
public sealed class HeadlessChromium : IAsyncLifetime, IDisposable
{
    public const string Variable = "HD_TEST_CHROMIUM";

    private readonly TempDirectory profile = new();
    private IBrowser? browser;

    public static string Executable => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Executable), $"no chromium at {Executable}: apt-get install chromium (test.sh does), or set {Variable}");
        browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            Headless = true,
            ExecutablePath = Executable,
            UserDataDir = profile.Path,
            // Root in CI needs --no-sandbox; the rest keeps chromium off a network it cannot reach anyway.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            Timeout = 60_000,
        });
    }

    public async Task<WatchedPage> OpenAsync(Uri address)
    {
        var page = await browser!.NewPageAsync();
        page.DefaultTimeout = 60_000;
        await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 900 });
        var watched = new WatchedPage(page);
        await page.GoToAsync(address.ToString(), WaitUntilNavigation.Load);
        return watched;
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
            await browser.DisposeAsync();
        }
    }

    /// <summary>After <see cref="DisposeAsync"/> (xunit calls both), once chromium has let go of its profile.</summary>
    public void Dispose() => profile.Dispose();
}

/// <summary>A page and every problem it reported since it opened.</summary>
public sealed class WatchedPage : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> problems = new();

    public WatchedPage(IPage page)
    {
        Page = page;
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                problems.Enqueue($"console error: {e.Message.Text}");
            }
        };
        page.PageError += (_, e) => problems.Enqueue($"uncaught: {e.Message}");
        page.Response += (_, e) =>
        {
            if ((int)e.Response.Status >= 400)
            {
                problems.Enqueue($"HTTP {(int)e.Response.Status} for {e.Response.Url}");
            }
        };
        page.RequestFailed += (_, e) => problems.Enqueue($"request failed: {e.Request.Url} ({e.Request.FailureText})");
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Problems => [.. problems];

    /// <summary>Waits for the page's own condition (a JavaScript expression) with a deadline.</summary>
    public Task WaitForAsync(string condition, TimeSpan limit) =>
        Page.WaitForFunctionAsync($"() => {condition}", new WaitForFunctionOptions { Timeout = (int)limit.TotalMilliseconds, PollingInterval = 100 });

    public Task<T> EvaluateAsync<T>(string expression) => Page.EvaluateExpressionAsync<T>(expression);

    public ValueTask DisposeAsync() => Page.DisposeAsync();
}
