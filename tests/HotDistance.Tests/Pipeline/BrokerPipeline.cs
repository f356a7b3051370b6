using HotDistance.Core;
using HotDistance.Core.Registry;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Hosting;
using HotDistance.Learning.Model;
using HotDistance.Learning.Training;
using HotDistance.Tests.Infrastructure;
using HotDistance.Trainer;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotDistance.Tests.Pipeline;

/// <summary>
/// Role hosts on a real broker for one test: each role on its own bus (as on separate machines), sharing one
/// workspace, with a queue prefix of their own so tests sharing the broker never see each other's messages,
/// plus an observer host whose bus the test publishes on. Training is tiny, so a generation takes seconds.
/// </summary>
internal sealed class BrokerPipeline : IAsyncDisposable
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(60);

    private readonly List<IHost> hosts = [];
    private readonly Dictionary<string, IHost> roleHosts = new(StringComparer.Ordinal);
    private IHost? observer;
    private readonly TempDirectory temp = new();

    public BrokerPipeline(Uri amqpUri, Func<HostSettings, HostSettings>? customize = null)
    {
        var settings = new HostSettings
        {
            Pipeline = new PipelineSettings { Workspace = temp.Combine("workspace") },
            RabbitMqUri = amqpUri,
            EndpointPrefix = "t" + Guid.NewGuid().ToString("N")[..8],
            Trainer = new TrainerSettings
            {
                Debounce = TimeSpan.FromMilliseconds(500),
                Training = new TrainingSettings
                {
                    Steps = 6,
                    PatchSize = 16,
                    BatchSize = 1,
                    CheckpointEvery = 3,
                    Architecture = new ModelArchitecture(4, 2, [[2, 2, 2]]),
                },
            },
        };
        Settings = customize?.Invoke(settings) ?? settings;
    }

    public HostSettings Settings { get; }

    /// <summary>When set, the broker each role's host connects with (its own user); the observer keeps <see cref="Settings"/>'.</summary>
    public Func<string, Uri>? RoleBroker { get; init; }

    public PipelineEvents Events { get; } = new();

    public CapturedLogs Logs { get; } = new();

    public string Workspace => Settings.Pipeline.Workspace;

    public LocalModelRegistry Registry => new(Path.Combine(Workspace, "registry"));

    /// <summary>The bus of the observer host: what the test publishes on.</summary>
    public IBus Bus => observer?.Services.GetRequiredService<IBus>() ?? throw new InvalidOperationException("start the pipeline first");

    /// <summary>Starts one host per role, then the observer (with <paramref name="observerExtras"/> on its bus).</summary>
    public async Task StartAsync(
        IEnumerable<string> roles,
        Action<IServiceCollection, IBusRegistrationConfigurator>? observerExtras = null)
    {
        foreach (var role in roles)
        {
            await StartRoleAsync(role);
        }

        observer = await StartHostAsync(PipelineHost.Build(
            Settings,
            [],
            (services, bus) =>
            {
                PipelineObserver.Register(services, bus, Events);
                observerExtras?.Invoke(services, bus);
            },
            Logging));
    }

    /// <summary>Writes a synthetic CellMap crop (mito and er annotated) and returns its path.</summary>
    public string WriteCrop(string name, int seed, int size = 24) => WriteCrop(name, seed, new Shape3(size, size, size));

    public string WriteCrop(string name, int seed, Shape3 shape)
    {
        var crop = SyntheticCropGenerator.Generate(new SyntheticCropSpec(
            name, seed, shape, VoxelSize.Isotropic(8), [SyntheticCropGenerator.Mito, SyntheticCropGenerator.Er]));
        var path = temp.Combine("incoming", $"{name}.zarr");
        CellMapCropWriter.Write(crop, path, "crop1");
        return path;
    }

    /// <summary>Awaits <paramref name="task"/>, failing with what the roles logged when it takes too long.</summary>
    public async Task<T> WithinAsync<T>(Task<T> task, TimeSpan limit, string what)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (await Task.WhenAny(task, Task.Delay(limit)) != task)
        {
            Assert.Fail($"{what} did not happen within {limit}; the roles logged:{Environment.NewLine}{Logs.Tail()}");
        }

        return await task;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, failing as <see cref="WithinAsync"/> does.</summary>
    public async Task UntilAsync(Func<bool> condition, TimeSpan limit, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{what} did not happen within {limit}; the roles logged:{Environment.NewLine}{Logs.Tail()}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(hosts))
        {
            await StopAsync(host);
        }

        Logs.Dispose();
        temp.Dispose();
    }

    /// <summary>Starts a host running <paramref name="role"/> (again, after <see cref="StopRoleAsync"/>).</summary>
    public async Task StartRoleAsync(string role, Action<IServiceCollection, IBusRegistrationConfigurator>? extras = null) =>
        roleHosts[role] = await StartHostAsync(PipelineHost.Build(
            RoleBroker is null ? Settings : Settings with { RabbitMqUri = RoleBroker(role) }, [role], extras, Logging));

    /// <summary>Stops the host running <paramref name="role"/>, as when its machine goes down; its queue stays.</summary>
    public async Task StopRoleAsync(string role)
    {
        var host = roleHosts[role];
        roleHosts.Remove(role);
        hosts.Remove(host);
        await StopAsync(host);
    }

    /// <summary>
    /// Stops and disposes a host, giving up on it after <see cref="StopLimit"/>: MassTransit 8.5 can wait forever for
    /// a receive transport that is reconnecting when it is stopped (seen after a broker restart, in cleanup, with
    /// every assertion passed), and one such host must not hang the whole test run. An abandoned host is named in
    /// the test log and left undisposed, since disposing it would wait on the same stop.
    /// </summary>
    private static async Task StopAsync(IHost host)
    {
        using var deadline = new CancellationTokenSource(StopLimit);
        var stopping = host.StopAsync(deadline.Token);
        if (await Task.WhenAny(stopping, Task.Delay(StopLimit + StopLimit)) != stopping || !stopping.IsCompletedSuccessfully)
        {
            await Console.Error.WriteLineAsync($"a pipeline host did not stop within {StopLimit.TotalSeconds:0} s ({stopping.Status}); abandoned");
            return;
        }

        host.Dispose();
    }

    private async Task<IHost> StartHostAsync(IHost host)
    {
        hosts.Add(host);
        await host.StartAsync();
        return host;
    }

    private void Logging(ILoggingBuilder builder) => builder.AddProvider(Logs).SetMinimumLevel(LogLevel.Information);
}
