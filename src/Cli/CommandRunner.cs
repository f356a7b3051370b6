using HotDistance.Core.Security;
using HotDistance.Core.Zarr;
using HotDistance.Hosting;
using HotDistance.Learning.Runtime;
using HotDistance.Mlflow;
using MassTransit;
using Spectre.Console;

namespace HotDistance.Cli;

/// <summary>Runs a verb and turns the failures people can act on into a message and an exit code, not a stack trace.</summary>
public static class CommandRunner
{
    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("[yellow]stopped[/]: rerun the same command to resume.");
            return ExitCodes.Interrupted;
        }
        catch (TorchUnavailableException exception)
        {
            Error(exception.Message);
            return ExitCodes.Unavailable;
        }
        catch (BrokerUnavailableException exception)
        {
            Error(exception.Message);
            return ExitCodes.Unavailable;
        }
        catch (RabbitMqConnectionException exception) when (BrokerFailures.DescribeConflictingQueue(exception) is { } conflict)
        {
            Error(conflict);
            return ExitCodes.Unavailable;
        }
        catch (RabbitMqConnectionException exception)
        {
            Error($"cannot reach the RabbitMQ broker: {exception.Message}. Check --rabbitmq / HD_RABBITMQ and that the broker runs (./hd doctor).");
            return ExitCodes.Unavailable;
        }
        catch (Exception exception) when (exception is ArgumentException or ZarrFormatException or FileNotFoundException or DirectoryNotFoundException)
        {
            Error(exception.Message);
            return ExitCodes.BadInput;
        }
        catch (TimeoutException exception)
        {
            Error(exception.Message);
            return ExitCodes.Unavailable;
        }
        catch (MlflowApiException exception)
        {
            // The message already names MLflow and the request ("MLflow GET /api/2.0/...").
            Error($"{exception.Message.TrimEnd('.')}. Check MLFLOW_TRACKING_URI and its credentials, and that the server runs (./hd doctor).");
            // No answer, or no entry with these credentials: MLflow is unavailable to hd, as a broker that is down is.
            return exception.Status is null or System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden ? ExitCodes.Unavailable : ExitCodes.Failure;
        }
    }

    /// <summary>Prints an error; any password in it (a URI or connection string the message quotes) is masked.</summary>
    public static void Error(string message) => AnsiConsole.MarkupLine($"[red]error[/]: {Markup.Escape(Redaction.Text(message))}");
}
