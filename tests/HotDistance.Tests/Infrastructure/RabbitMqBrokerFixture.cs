using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using HotDistance.Core.Security;
using Testcontainers.RabbitMq;

namespace HotDistance.Tests.Infrastructure;

/// <summary>
/// A RabbitMQ broker for tests that need a real one. Tried in order: the broker named by
/// <c>HD_TEST_RABBITMQ</c>; a Testcontainers container when a Docker engine answers; a private
/// <c>rabbitmq-server</c> from the Debian package. When none is possible it fails with instructions: tests that
/// need a broker never pass by skipping. Use it through <c>[Collection(RabbitMqCollectionDefinition.Name)]</c> and a
/// constructor parameter.
/// </summary>
public sealed partial class RabbitMqBrokerFixture : IAsyncLifetime
{
    /// <summary>Environment variable naming an existing broker (an amqp:// URI) for the tests to use.</summary>
    public const string EnvironmentVariable = "HD_TEST_RABBITMQ";

    /// <summary>The image used when the fixture starts a container: the version docker-compose.yml runs.</summary>
    public const string ContainerImage = "rabbitmq:3.13";

    private static readonly TimeSpan ContainerStartTimeout = TimeSpan.FromMinutes(5);

    private Uri? _amqpUri;
    private RabbitMqContainer? _container;
    private PrivateRabbitMqServer? _server;

    /// <summary>The broker's AMQP URI, credentials included.</summary>
    public Uri AmqpUri => _amqpUri ?? throw new InvalidOperationException("The broker fixture has not been initialised.");

    /// <summary>Which of the three sources the broker came from.</summary>
    public BrokerOrigin Origin { get; private set; }

    /// <summary>Where the broker came from and why the earlier sources were passed over, for test output.</summary>
    public string Description { get; private set; } = "";

    /// <summary>
    /// The config file this project ships (infra/rabbitmq/rabbitmq.conf), copied next to the test assembly.
    /// Brokers the fixture starts run with it, so the tests exercise the settings production uses.
    /// </summary>
    public static string ShippedConfigPath => Path.Combine(AppContext.BaseDirectory, "Infrastructure", "rabbitmq.conf");

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            _amqpUri = ParseExternalUri(external);
            Origin = BrokerOrigin.External;
            Description = $"external broker from {EnvironmentVariable} ({Redaction.Uri(_amqpUri)})";
            return;
        }

        var configText = await File.ReadAllTextAsync(ShippedConfigPath).ConfigureAwait(false);

        var (dockerEndpoint, dockerReason) = await DockerEngineProbe.FindAsync().ConfigureAwait(false);
        if (dockerEndpoint is not null)
        {
            var containerFailure = await TryStartContainerAsync(configText).ConfigureAwait(false);
            if (containerFailure is null)
            {
                Origin = BrokerOrigin.Container;
                Description = $"Testcontainers {ContainerImage} via Docker at {dockerEndpoint} ({Redaction.Uri(AmqpUri)})";
                return;
            }

            dockerReason = $"Docker at {dockerEndpoint} answered but the container failed: {containerFailure}";
        }

        var packageReason = PrivateRabbitMqServer.FindUnavailabilityReason();
        if (packageReason is not null)
        {
            throw new InvalidOperationException(NoBrokerMessage(dockerReason, packageReason));
        }

        _server = await PrivateRabbitMqServer.StartAsync(configText).ConfigureAwait(false);
        _amqpUri = _server.AmqpUri;
        Origin = BrokerOrigin.PrivateServer;
        Description = string.Create(
            CultureInfo.InvariantCulture,
            $"private rabbitmq-server node {_server.NodeName} on {Redaction.Uri(AmqpUri)}, started in {_server.StartupTime.TotalSeconds:0.0} s (Docker: {dockerReason})");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
            _server = null;
        }

        if (_container is not null)
        {
            await _container.DisposeAsync().ConfigureAwait(false);
            _container = null;
        }
    }

    /// <summary>
    /// Waits (up to two minutes) until <paramref name="queue"/> has <paramref name="count"/> consumers, e.g. role
    /// processes that have started; fails with their output when one exits first or the time runs out.
    /// </summary>
    internal async Task WaitForConsumersAsync(string queue, int count, params RoleProcess[] processes)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            var listing = await RabbitmqctlAsync("list_queues", "-q", "--formatter", "json", "name", "consumers").ConfigureAwait(false);
            var consumers = System.Text.Json.JsonDocument.Parse(listing).RootElement.EnumerateArray()
                .Where(q => q.GetProperty("name").GetString() == queue)
                .Select(q => q.GetProperty("consumers").GetInt32())
                .FirstOrDefault();
            if (consumers >= count)
            {
                return;
            }

            if (processes.FirstOrDefault(p => p.HasExited) is { } exited)
            {
                Assert.Fail($"a role process exited before it started consuming:{Environment.NewLine}{exited.Output}");
            }

            await Task.Delay(500).ConfigureAwait(false);
        }

        Assert.Fail($"{queue} never had {count} consumers; the processes printed:{Environment.NewLine}{string.Join(Environment.NewLine, processes.Select(p => p.Output))}");
    }

    /// <summary>
    /// Runs rabbitmqctl on the broker the fixture started and returns its output. An external broker
    /// (<see cref="EnvironmentVariable"/>) cannot be reached this way: tests that need it say so and fail.
    /// </summary>
    public async Task<string> RabbitmqctlAsync(params string[] arguments)
    {
        if (_server is not null)
        {
            var result = await _server.RabbitmqctlAsync(arguments).ConfigureAwait(false);
            return result.Succeeded
                ? result.Output
                : throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Output}");
        }

        if (_container is not null)
        {
            var result = await _container.ExecAsync(["rabbitmqctl", .. arguments]).ConfigureAwait(false);
            return result.ExitCode == 0
                ? result.Stdout
                : throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} in the container failed ({result.ExitCode}): {result.Stderr}");
        }

        throw new InvalidOperationException(
            $"this test controls the broker with rabbitmqctl, which an external broker ({EnvironmentVariable}) does not allow: unset {EnvironmentVariable} to let the fixture start one");
    }

    /// <summary>Imports a definitions document (vhosts, users, permissions) into the broker, as rabbitmqctl import_definitions does.</summary>
    public async Task ImportDefinitionsAsync(string json)
    {
        const string InContainer = "/tmp/hd-definitions.json";
        if (_container is not null)
        {
            await _container.CopyAsync(System.Text.Encoding.UTF8.GetBytes(json), InContainer).ConfigureAwait(false);
            await RabbitmqctlAsync("import_definitions", InContainer).ConfigureAwait(false);
            return;
        }

        var file = Path.Combine(Path.GetTempPath(), $"hd-definitions-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json).ConfigureAwait(false);
        try
        {
            await RabbitmqctlAsync("import_definitions", file).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Restarts the RabbitMQ application on the node (every connection drops; queues and persistent messages
    /// are recovered from disk, as after a broker restart) and returns once it accepts connections again.
    /// </summary>
    public async Task RestartBrokerAsync()
    {
        await RabbitmqctlAsync("stop_app").ConfigureAwait(false);
        await RabbitmqctlAsync("start_app").ConfigureAwait(false);
        await RabbitmqctlAsync("await_startup").ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the broker's effective <c>consumer_timeout</c>; null for an external broker, whose configuration
    /// the fixture cannot inspect. A value of <see cref="Timeout.InfiniteTimeSpan"/> means the timeout is off.
    /// </summary>
    public async Task<TimeSpan?> ReadConsumerTimeoutAsync()
    {
        const string Expression = "application:get_env(rabbit, consumer_timeout).";
        string output;
        if (_server is not null)
        {
            var result = await _server.RabbitmqctlAsync("eval", Expression).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"rabbitmqctl eval failed ({result.ExitCode}): {result.Output}");
            }

            output = result.Output;
        }
        else if (_container is not null)
        {
            var result = await _container.ExecAsync(["rabbitmqctl", "eval", Expression]).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"rabbitmqctl eval in the container failed ({result.ExitCode}): {result.Stderr}");
            }

            output = result.Stdout;
        }
        else
        {
            return null;
        }

        return ParseConsumerTimeout(output);
    }

    /// <summary>Turns rabbitmqctl's "{ok,14400000}" (or "{ok,false}" when disabled) into a duration.</summary>
    internal static TimeSpan ParseConsumerTimeout(string evalOutput)
    {
        var match = ConsumerTimeoutPattern().Match(evalOutput);
        if (!match.Success)
        {
            throw new FormatException($"Unexpected consumer_timeout from rabbitmqctl eval: '{evalOutput}'.");
        }

        return match.Groups["ms"].Success
            ? TimeSpan.FromMilliseconds(long.Parse(match.Groups["ms"].Value, CultureInfo.InvariantCulture))
            : Timeout.InfiniteTimeSpan;
    }

    /// <summary>The message of the failure raised when no broker can be had: what was tried, and how to fix it.</summary>
    internal static string NoBrokerMessage(string dockerReason, string packageReason) =>
        new MissingServerMessage(
            "These tests need a RabbitMQ broker",
            EnvironmentVariable,
            "amqp://guest:guest@localhost:5672/",
            ContainerImage,
            "Private rabbitmq-server",
            "install RabbitMQ (Debian/Ubuntu): sudo apt-get update && sudo apt-get install -y rabbitmq-server",
            "instance").Build(dockerReason, packageReason);

    private async Task<string?> TryStartContainerAsync(string configText)
    {
        // The official image also reads conf.d/*.conf, so this adds to its defaults instead of replacing them.
        var container = new RabbitMqBuilder(ContainerImage)
            .WithResourceMapping(Encoding.UTF8.GetBytes(configText), "/etc/rabbitmq/conf.d/90-hotdistance.conf")
            .Build();
        if (await ContainerStart.TryAsync(container, ContainerStartTimeout).ConfigureAwait(false) is { } failure)
        {
            return failure;
        }

        _container = container;
        _amqpUri = new Uri(container.GetConnectionString());
        return null;
    }

    private static Uri ParseExternalUri(string value)
    {
        if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps")
        {
            return uri;
        }

        throw new InvalidOperationException(
            $"{EnvironmentVariable} must be an amqp:// or amqps:// URI such as amqp://guest:guest@localhost:5672/, not '{value}'.");
    }

    [GeneratedRegex(@"\{ok,\s*(?:(?<ms>\d+)|false|infinity)\}")]
    private static partial Regex ConsumerTimeoutPattern();
}
