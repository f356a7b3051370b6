using HotDistance.Bench.Harness;
using HotDistance.Tests.Infrastructure;

namespace HotDistance.Bench.Broker;

/// <summary>
/// The broker a benchmark talks to: --rabbitmq, else HD_RABBITMQ, else a private loopback rabbitmq-server started
/// from the Debian package with the project's rabbitmq.conf, as the tests do (stopped when this is disposed).
/// </summary>
internal sealed class BenchBroker : IAsyncDisposable
{
    private readonly PrivateRabbitMqServer? server;

    private BenchBroker(Uri uri, string origin, PrivateRabbitMqServer? server)
    {
        Uri = uri;
        Origin = origin;
        this.server = server;
    }

    public Uri Uri { get; }

    /// <summary>Which broker it is, for the report.</summary>
    public string Origin { get; }

    public static async Task<BenchBroker> AcquireAsync(Arguments args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var given = args.Text("rabbitmq", Environment.GetEnvironmentVariable("HD_RABBITMQ") ?? "");
        if (given.Length > 0)
        {
            return new BenchBroker(new Uri(given), "given broker", null);
        }

        var config = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "rabbitmq.conf")).ConfigureAwait(false);
        Console.Error.WriteLine("starting a private rabbitmq-server on loopback ...");
        var server = await PrivateRabbitMqServer.StartAsync(config).ConfigureAwait(false);
        return new BenchBroker(server.AmqpUri, "private rabbitmq-server (Debian package)", server);
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
