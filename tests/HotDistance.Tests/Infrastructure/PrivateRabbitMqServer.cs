using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RabbitMQ.Client;

namespace HotDistance.Tests.Infrastructure;

/// <summary>
/// A RabbitMQ node of this test run's own, started from the installed Debian package: loopback only, on free
/// ports, with its node name, data, logs, config, plugin list, Erlang cookie and epmd all private to one temp
/// directory, so it neither needs root nor touches (or is touched by) a system broker.
/// </summary>
internal sealed class PrivateRabbitMqServer : IAsyncDisposable
{
    /// <summary>
    /// Where the package keeps the real scripts. Debian's /usr/sbin wrappers switch to the rabbitmq user when
    /// run as root (and refuse other users), which would lose our environment; these run as the caller.
    /// </summary>
    public const string PackageScriptsDirectory = "/usr/lib/rabbitmq/bin";

    private const int StartAttempts = 3;
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CtlTimeout = TimeSpan.FromSeconds(30);

    private readonly string _scriptsDirectory;
    private readonly DirectoryInfo _home;
    private readonly Dictionary<string, string> _environment;
    private readonly Process _epmd;
    private readonly Process _server;
    private Process? _watchdog;

    private PrivateRabbitMqServer(
        string scriptsDirectory,
        DirectoryInfo home,
        Dictionary<string, string> environment,
        string nodeName,
        int amqpPort,
        Process epmd,
        Process server)
    {
        _scriptsDirectory = scriptsDirectory;
        _home = home;
        _environment = environment;
        NodeName = nodeName;
        AmqpPort = amqpPort;
        _epmd = epmd;
        _server = server;
    }

    /// <summary>The Erlang node name, e.g. hdtest-1234-5678abcd@localhost.</summary>
    public string NodeName { get; }

    /// <summary>The loopback port of the AMQP listener.</summary>
    public int AmqpPort { get; }

    /// <summary>amqp URI with the default guest user, which RabbitMQ accepts on loopback connections.</summary>
    public Uri AmqpUri => new($"amqp://guest:guest@127.0.0.1:{AmqpPort.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>Wall time from launching the node to its first accepted AMQP connection.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>
    /// Returns why the package cannot be used here (not installed, no epmd), or null when it can.
    /// </summary>
    public static string? FindUnavailabilityReason()
    {
        var server = Path.Combine(PackageScriptsDirectory, "rabbitmq-server");
        if (!File.Exists(server) || !File.Exists(Path.Combine(PackageScriptsDirectory, "rabbitmqctl")))
        {
            return $"{server} not found (the Debian package rabbitmq-server is not installed)";
        }

        return FindEpmd() is null ? "epmd (from erlang-base) not found" : null;
    }

    /// <summary>
    /// Starts a node with <paramref name="configText"/> as its rabbitmq.conf and returns once it accepts AMQP
    /// connections. A start that fails because a chosen port was taken in the meantime is retried on new ports.
    /// </summary>
    public static async Task<PrivateRabbitMqServer> StartAsync(string configText)
    {
        var failures = new List<string>();
        for (var attempt = 1; attempt <= StartAttempts; attempt++)
        {
            var (server, failure, retryable) = await TryStartAsync(configText).ConfigureAwait(false);
            if (server is not null)
            {
                return server;
            }

            failures.Add($"attempt {attempt.ToString(CultureInfo.InvariantCulture)}: {failure}");
            if (!retryable)
            {
                break;
            }
        }

        throw new InvalidOperationException(
            "rabbitmq-server is installed but a private instance did not start.\n" + string.Join("\n", failures));
    }

    /// <summary>Runs rabbitmqctl against this node (the node name is passed for you).</summary>
    public Task<CommandResult> RabbitmqctlAsync(params string[] arguments) =>
        CommandRunner.RunAsync(
            Path.Combine(_scriptsDirectory, "rabbitmqctl"),
            ["-n", NodeName, .. arguments],
            startInfo => ApplyEnvironment(startInfo, _environment),
            CtlTimeout);

    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync(_watchdog, TimeSpan.Zero).ConfigureAwait(false);
        if (!_server.HasExited)
        {
            // A clean stop lets the node close its files before the directory is deleted.
            await RabbitmqctlAsync("stop").ConfigureAwait(false);
        }

        await StopProcessAsync(_server, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        await StopProcessAsync(_epmd, TimeSpan.Zero).ConfigureAwait(false);
        _watchdog?.Dispose();
        _server.Dispose();
        _epmd.Dispose();
        DeleteDirectory(_home);
    }

    private static async Task<(PrivateRabbitMqServer? Server, string Failure, bool Retryable)> TryStartAsync(
        string configText)
    {
        var ports = LoopbackPorts.Reserve(3);
        var (amqpPort, distPort, epmdPort) = (ports[0], ports[1], ports[2]);
        var shortName = string.Create(
            CultureInfo.InvariantCulture,
            $"hdtest-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        var nodeName = shortName + "@localhost";
        var home = Directory.CreateTempSubdirectory("hd-rabbitmq-");
        var environment = PrepareHome(home, configText, nodeName, amqpPort, distPort, epmdPort);
        var scripts = PackageScriptsDirectory;

        // Our own epmd rather than the daemon Erlang would spawn: we know its process and can stop it.
        var epmdArguments = new[] { "-port", epmdPort.ToString(CultureInfo.InvariantCulture), "-address", "127.0.0.1" };
        var epmd = StartChild(FindEpmd()!, epmdArguments, environment, output: null);
        var serverOutput = new BoundedLog(200);
        Process? server = null;
        Process? watchdog = null;
        var handedOver = false;
        try
        {
            if (!await WaitUntilAsync(() => LoopbackPorts.AcceptsAsync(epmdPort, TimeSpan.FromSeconds(1)), epmd, TimeSpan.FromSeconds(10)).ConfigureAwait(false))
            {
                return (null, $"epmd did not listen on port {epmdPort} (exited: {epmd.HasExited})", true);
            }

            var clock = Stopwatch.StartNew();
            server = StartChild(Path.Combine(scripts, "rabbitmq-server"), [], environment, serverOutput);
            watchdog = StartWatchdog(server, epmd, home);
            if (!await WaitUntilAsync(() => EpmdNames.IsRegisteredAsync(epmdPort, shortName, TimeSpan.FromSeconds(1)), server, StartupTimeout).ConfigureAwait(false))
            {
                // A node that exits this early has usually lost one of its ports to another process.
                var exited = server.HasExited;
                return (null, $"node {nodeName} did not register with epmd (exited: {exited})\n{Diagnostics(home, serverOutput)}", exited);
            }

            var remaining = StartupTimeout - clock.Elapsed;
            var awaited = await CommandRunner.RunAsync(
                Path.Combine(scripts, "rabbitmqctl"),
                ["-n", nodeName, "await_startup", "--timeout", Math.Max(1, (int)remaining.TotalSeconds).ToString(CultureInfo.InvariantCulture)],
                startInfo => ApplyEnvironment(startInfo, environment),
                remaining + CtlTimeout).ConfigureAwait(false);
            if (!awaited.Succeeded)
            {
                var exited = server.HasExited;
                return (null, $"rabbitmqctl await_startup failed ({awaited.ExitCode}): {awaited.Output}\n{Diagnostics(home, serverOutput)}", exited);
            }

            var instance = new PrivateRabbitMqServer(scripts, home, environment, nodeName, amqpPort, epmd, server)
            {
                _watchdog = watchdog,
            };
            handedOver = true;
            var amqpError = await instance.FirstAmqpConnectionErrorAsync(StartupTimeout - clock.Elapsed).ConfigureAwait(false);
            if (amqpError is not null)
            {
                var diagnostics = Diagnostics(home, serverOutput);
                await instance.DisposeAsync().ConfigureAwait(false);
                return (null, $"the node started but AMQP on port {amqpPort} failed: {amqpError}\n{diagnostics}", false);
            }

            instance.StartupTime = clock.Elapsed;
            return (instance, "", false);
        }
        finally
        {
            if (!handedOver)
            {
                await StopProcessAsync(watchdog, TimeSpan.Zero).ConfigureAwait(false);
                await StopProcessAsync(server, TimeSpan.Zero).ConfigureAwait(false);
                await StopProcessAsync(epmd, TimeSpan.Zero).ConfigureAwait(false);
                watchdog?.Dispose();
                server?.Dispose();
                epmd.Dispose();
                DeleteDirectory(home);
            }
        }
    }

    private static Dictionary<string, string> PrepareHome(
        DirectoryInfo home, string configText, string nodeName, int amqpPort, int distPort, int epmdPort)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The private broker runs the Debian rabbitmq-server package.");
        }

        var path = home.FullName;
        Directory.CreateDirectory(Path.Combine(path, "mnesia"));
        Directory.CreateDirectory(Path.Combine(path, "log"));
        Directory.CreateDirectory(Path.Combine(path, "conf.d"));
        File.WriteAllText(Path.Combine(path, "rabbitmq.conf"), configText);
        File.WriteAllText(Path.Combine(path, "enabled_plugins"), "[].\n");
        File.WriteAllText(Path.Combine(path, "rabbitmq-env.conf"), "");

        // The node and rabbitmqctl both read the cookie from $HOME; Erlang rejects one others can read.
        var cookieOptions = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var cookie = new StreamWriter(Path.Combine(path, ".erlang.cookie"), Encoding.ASCII, cookieOptions))
        {
            cookie.Write(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        }

        var loopbackDistribution = "-kernel inet_dist_use_interface {127,0,0,1} -start_epmd false";
        return new Dictionary<string, string>
        {
            ["HOME"] = path,
            ["RABBITMQ_NODENAME"] = nodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = amqpPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = distPort.ToString(CultureInfo.InvariantCulture),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(path, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(path, "log"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(path, "rabbitmq.conf"),
            ["RABBITMQ_CONFIG_FILES"] = Path.Combine(path, "conf.d"),
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(path, "advanced.config"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(path, "enabled_plugins"),
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(path, "rabbitmq-env.conf"),
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = loopbackDistribution,
            ["RABBITMQ_CTL_ERL_ARGS"] = loopbackDistribution,
        };
    }

    private static Process StartChild(
        string fileName, IEnumerable<string> arguments, Dictionary<string, string> environment, BoundedLog? output)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        ApplyEnvironment(startInfo, environment);
        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => output?.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output?.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void ApplyEnvironment(ProcessStartInfo startInfo, Dictionary<string, string> environment)
    {
        // Settings inherited from the caller's shell (a RABBITMQ_NODENAME, a cookie, ERL_LIBS) must not leak in.
        foreach (var name in startInfo.Environment.Keys.Where(IsBrokerSetting).ToList())
        {
            startInfo.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }
    }

    private static bool IsBrokerSetting(string name) =>
        name.StartsWith("RABBITMQ_", StringComparison.Ordinal) || name.StartsWith("ERL_", StringComparison.Ordinal);

    /// <summary>
    /// Stops the node and its epmd and removes the directory if this test process dies without disposing the
    /// fixture (a crash, a killed test host), so no broker is left running on a developer's machine.
    /// </summary>
    private static Process StartWatchdog(Process server, Process epmd, DirectoryInfo home)
    {
        // The server script traps TERM and stops the Erlang node cleanly; KILL is the fallback after 30 s.
        const string Script = """
            while kill -0 "$1" 2>/dev/null; do sleep 1; done
            kill -TERM "$2" 2>/dev/null
            i=0
            while kill -0 "$2" 2>/dev/null && [ "$i" -lt 30 ]; do sleep 1; i=$((i + 1)); done
            kill -KILL "$2" 2>/dev/null
            kill -TERM "$3" 2>/dev/null
            rm -rf "$4"
            """;
        var startInfo = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(Script);
        startInfo.ArgumentList.Add("hd-rabbitmq-watchdog");
        startInfo.ArgumentList.Add(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        startInfo.ArgumentList.Add(server.Id.ToString(CultureInfo.InvariantCulture));
        startInfo.ArgumentList.Add(epmd.Id.ToString(CultureInfo.InvariantCulture));
        startInfo.ArgumentList.Add(home.FullName);
        return Process.Start(startInfo)!;
    }

    private async Task<string?> FirstAmqpConnectionErrorAsync(TimeSpan timeout)
    {
        var factory = new ConnectionFactory { Uri = AmqpUri, RequestedConnectionTimeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = await factory.CreateConnectionAsync().ConfigureAwait(false);
                return null;
            }
            catch (Exception e) when (e is RabbitMQ.Client.Exceptions.BrokerUnreachableException or IOException)
            {
                if (clock.Elapsed > timeout || _server.HasExited)
                {
                    return e.GetBaseException().Message;
                }

                await Task.Delay(200).ConfigureAwait(false);
            }
        }
    }

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, Process mustStayAlive, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await condition().ConfigureAwait(false))
            {
                // Something else may hold the port the process was meant to bind.
                return !mustStayAlive.HasExited;
            }

            if (mustStayAlive.HasExited)
            {
                return false;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        return false;
    }

    private static string Diagnostics(DirectoryInfo home, BoundedLog serverOutput)
    {
        var text = new StringBuilder();
        text.AppendLine("--- rabbitmq-server output (last lines) ---").AppendLine(serverOutput.Text);
        var logs = Path.Combine(home.FullName, "log");
        if (Directory.Exists(logs))
        {
            foreach (var log in Directory.EnumerateFiles(logs, "*.log"))
            {
                var lines = File.ReadAllLines(log);
                text.AppendLine(CultureInfo.InvariantCulture, $"--- {Path.GetFileName(log)} (last lines) ---");
                foreach (var line in lines.TakeLast(40))
                {
                    text.AppendLine(line);
                }
            }
        }

        return text.ToString();
    }

    private static async Task StopProcessAsync(Process? process, TimeSpan grace)
    {
        if (process is null)
        {
            return;
        }

        using var limit = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    private static void DeleteDirectory(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying process; the temp directory is all that is left behind.
        }
    }

    private static string? FindEpmd()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/lib/erlang/bin")
            .Select(directory => Path.Combine(directory, "epmd"))
            .FirstOrDefault(File.Exists);
    }
}
