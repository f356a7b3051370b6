namespace HotDistance.Tests.Infrastructure;

/// <summary>Waits for a condition with a deadline, never a fixed sleep: it looks every 100 ms and fails naming what did not happen.</summary>
internal static class Eventually
{
    public static Task Until(Func<bool> condition, TimeSpan limit, string what, Func<string>? details = null) =>
        Until(() => Task.FromResult(condition()), limit, what, details);

    /// <param name="details">What to add to the failure (e.g. a process's output), read only when it fails.</param>
    public static async Task Until(Func<Task<bool>> condition, TimeSpan limit, string what, Func<string>? details = null)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what} did not happen within {limit}{(details is null ? string.Empty : ": " + details())}");
            await Task.Delay(100);
        }
    }
}
