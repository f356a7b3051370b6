namespace HotDistance.Mlflow;

/// <summary>Where the MLflow tracking server is, how to authenticate, and how hard to retry.</summary>
public sealed record MlflowClientOptions
{
    /// <summary>The tracking server's base address, e.g. http://mlflow:5000/ (a path prefix is kept).</summary>
    public required Uri TrackingUri { get; init; }

    /// <summary>With <see cref="Password"/>: HTTP Basic, as MLflow's basic-auth app expects.</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>Bearer token; used only when no username/password pair is set (MLflow's own precedence).</summary>
    public string? Token { get; init; }

    /// <summary>Tries per request, the first included. Retries happen on 408, 429, 5xx and connection failures.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>Wait before the first retry; doubles each retry up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Per attempt; artifact transfers of large checkpoints need minutes, not seconds.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Model versions asked for per search page (MLflow allows up to 200,000; pages keep answers small).</summary>
    public int SearchPageSize { get; init; } = 1000;
}
