using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace HotDistance.Hosting;

/// <summary>Opens and closes one AMQP connection to tell whether a broker answers.</summary>
public static class BrokerProbe
{
    public sealed record Result(bool Reachable, string Detail);

    public static async Task<Result> CheckAsync(Uri uri, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var factory = new ConnectionFactory { Uri = uri, RequestedConnectionTimeout = timeout, AutomaticRecoveryEnabled = false };
        try
        {
            await using var connection = await factory.CreateConnectionAsync("hd-doctor", cancellationToken).ConfigureAwait(false);
            var version = connection.ServerProperties?.TryGetValue("version", out var v) == true && v is byte[] bytes
                ? System.Text.Encoding.UTF8.GetString(bytes)
                : "unknown version";
            return new Result(true, $"RabbitMQ {version}");
        }
        catch (BrokerUnreachableException exception)
        {
            return new Result(false, exception.InnerException?.Message ?? exception.Message);
        }
    }
}
