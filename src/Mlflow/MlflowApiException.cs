using System.Net;

namespace HotDistance.Mlflow;

/// <summary>
/// A request the MLflow server refused or could not answer. The message names the method, the path, the HTTP
/// status, MLflow's error code when the body had one, and the server's own words.
/// </summary>
public sealed class MlflowApiException : Exception
{
    public MlflowApiException()
    {
    }

    public MlflowApiException(string message)
        : base(message)
    {
    }

    public MlflowApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MlflowApiException(string method, string path, HttpStatusCode? status, string? errorCode, string serverMessage, int attempts, Exception? innerException = null)
        : base(Describe(method, path, status, errorCode, serverMessage, attempts), innerException)
    {
        Method = method;
        Path = path;
        Status = status;
        ErrorCode = errorCode;
        ServerMessage = serverMessage;
    }

    public string Method { get; } = string.Empty;

    public string Path { get; } = string.Empty;

    /// <summary>Null when no response arrived (connection refused, timeout).</summary>
    public HttpStatusCode? Status { get; }

    /// <summary>MLflow's error_code (RESOURCE_DOES_NOT_EXIST, INVALID_PARAMETER_VALUE, ...), when the body was MLflow JSON.</summary>
    public string? ErrorCode { get; }

    public string ServerMessage { get; } = string.Empty;

    private static string Describe(string method, string path, HttpStatusCode? status, string? errorCode, string serverMessage, int attempts)
    {
        var what = status is { } s ? $"HTTP {(int)s} {s}" : "no response";
        var code = errorCode is null ? string.Empty : $" {errorCode}";
        var tries = attempts > 1 ? $" after {attempts} attempts" : string.Empty;
        return $"MLflow {method} {path} failed{tries}: {what}{code}: {serverMessage}";
    }
}
