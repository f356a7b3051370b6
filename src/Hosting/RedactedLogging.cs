using HotDistance.Core.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HotDistance.Hosting;

/// <summary>
/// Every log line a host writes, its own and its libraries' (MassTransit, Npgsql, Quartz), passes through
/// <see cref="Redaction"/> like every other output, exception text included: each logger provider the host is
/// given is wrapped, so a password in a URI or connection string never reaches a log.
/// </summary>
internal static class RedactedLogging
{
    public static void Apply(IServiceCollection services)
    {
        foreach (var registration in services.Where(d => d.ServiceType == typeof(ILoggerProvider)).ToList())
        {
            services.Remove(registration);
            services.AddSingleton<ILoggerProvider>(provider => registration.ImplementationInstance is ILoggerProvider given
                ? new RedactingProvider(given, ownsInner: false)
                : new RedactingProvider(
                    (ILoggerProvider?)registration.ImplementationFactory?.Invoke(provider)
                        ?? (ILoggerProvider)ActivatorUtilities.CreateInstance(provider, registration.ImplementationType!),
                    ownsInner: true));
        }
    }

    private sealed class RedactingProvider(ILoggerProvider inner, bool ownsInner) : ILoggerProvider, ISupportExternalScope
    {
        public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => (inner as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

        public void Dispose()
        {
            if (ownsInner)
            {
                inner.Dispose();
            }
        }
    }

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        /// <summary>The line goes on as redacted text, the exception folded into it (its text may hold a URI too).</summary>
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            var text = formatter(state, exception);
            var line = Redaction.Text(exception is null ? text : $"{text}{Environment.NewLine}{exception}");
            inner.Log(logLevel, eventId, line, null, static (redacted, _) => redacted);
        }
    }
}
