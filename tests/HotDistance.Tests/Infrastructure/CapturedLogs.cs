using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace HotDistance.Tests.Infrastructure;

/// <summary>Keeps every log line of the hosts a test starts, so a failure can say what the pipeline was doing.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public string Tail(int count = 80) => string.Join(Environment.NewLine, lines.TakeLast(count));

    /// <summary>The lines that contain <paramref name="fragment"/>.</summary>
    public IReadOnlyList<string> Matching(string fragment) => lines.Where(l => l.Contains(fragment, StringComparison.Ordinal)).ToList();

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}";
            owner.lines.Enqueue(exception is null ? line : $"{line}{Environment.NewLine}{exception}");
        }
    }
}
