using System.Diagnostics;
using System.Globalization;
using HotDistance.Tests.Infrastructure;
using Npgsql;

namespace HotDistance.Tests.Catalog;

/// <summary>
/// A PostgreSQL server of this test run's own, from the installed Debian package: a fresh cluster (initdb) in a
/// temp directory, listening on a free loopback port with its unix socket in that directory, trust authentication
/// for the user <see cref="UserName"/>, durability off (a test database need not survive a crash). PostgreSQL
/// refuses to run as root, so under root the server runs as the package's <c>postgres</c> user (else <c>nobody</c>)
/// through <c>setpriv</c>, which execs in place: the process we hold is the postmaster itself.
/// </summary>
internal sealed class PrivatePostgresServer : IAsyncDisposable
{
    public const string PackageRoot = "/usr/lib/postgresql";
    public const string UserName = "hd";

    private const int StartAttempts = 3;
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly DirectoryInfo _home;
    private readonly Process _server;
    private readonly Process _watchdog;

    private PrivatePostgresServer(DirectoryInfo home, Process server, Process watchdog, int port, string version)
    {
        _home = home;
        _server = server;
        _watchdog = watchdog;
        Port = port;
        Version = version;
    }

    public int Port { get; }

    /// <summary>The package's major version, e.g. 15.</summary>
    public string Version { get; }

    public TimeSpan StartupTime { get; private set; }

    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = UserName,
        Database = "postgres",
        Pooling = true,
    }.ConnectionString;

    /// <summary>The newest installed server's bin folder, or null.</summary>
    public static string? FindBinDirectory() =>
        Directory.Exists(PackageRoot)
            ? Directory.EnumerateDirectories(PackageRoot)
                .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")) && File.Exists(Path.Combine(d, "bin", "postgres")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin"))
                .FirstOrDefault()
            : null;

    /// <summary>Why the package cannot be used here, or null when it can.</summary>
    public static string? FindUnavailabilityReason()
    {
        if (OperatingSystem.IsWindows())
        {
            return "the private server runs the Debian postgresql package, not available on Windows";
        }

        if (FindBinDirectory() is null)
        {
            return $"no {PackageRoot}/<version>/bin/initdb (the Debian package postgresql is not installed)";
        }

        return Environment.IsPrivilegedProcess && !File.Exists("/usr/bin/setpriv")
            ? "running as root, and /usr/bin/setpriv (util-linux) is missing to drop to an unprivileged user"
            : null;
    }

    public static async Task<PrivatePostgresServer> StartAsync()
    {
        var bin = FindBinDirectory() ?? throw new InvalidOperationException(FindUnavailabilityReason());
        var runAs = Environment.IsPrivilegedProcess ? await UnprivilegedUserAsync().ConfigureAwait(false) : null;
        var failures = new List<string>();
        for (var attempt = 1; attempt <= StartAttempts; attempt++)
        {
            var (server, failure) = await TryStartAsync(bin, runAs).ConfigureAwait(false);
            if (server is not null)
            {
                return server;
            }

            failures.Add($"attempt {attempt.ToString(CultureInfo.InvariantCulture)}: {failure}");
        }

        throw new InvalidOperationException("postgresql is installed but a private server did not start.\n" + string.Join("\n", failures));
    }

    public async ValueTask DisposeAsync()
    {
        _watchdog.Kill();
        if (!_server.HasExited)
        {
            // SIGINT is PostgreSQL's fast shutdown: it ends sessions and exits cleanly.
            await CommandRunner.RunAsync("kill", ["-INT", _server.Id.ToString(CultureInfo.InvariantCulture)], null, CommandTimeout).ConfigureAwait(false);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _server.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _server.Kill(entireProcessTree: true);
                await _server.WaitForExitAsync().ConfigureAwait(false);
            }
        }

        _server.Dispose();
        _watchdog.Dispose();
        try
        {
            _home.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying backend; only the temp directory is left behind.
        }
    }

    private static async Task<(PrivatePostgresServer? Server, string Failure)> TryStartAsync(string bin, UnixUser? runAs)
    {
        var home = Directory.CreateTempSubdirectory("hd-postgres-");
        var data = Path.Combine(home.FullName, "data");
        var sockets = Path.Combine(home.FullName, "run");
        Directory.CreateDirectory(sockets);
        Process? server = null;
        var handedOver = false;
        try
        {
            if (runAs is not null)
            {
                var chown = await CommandRunner.RunAsync("chown", ["-R", $"{runAs.Uid}:{runAs.Gid}", home.FullName], null, CommandTimeout).ConfigureAwait(false);
                if (!chown.Succeeded)
                {
                    return (null, $"chown of {home.FullName} to {runAs.Name} failed: {chown.Output}");
                }
            }

            var initdb = await CommandRunner.RunAsync(
                Launcher(runAs),
                [.. LauncherArguments(runAs, Path.Combine(bin, "initdb")), "-D", data, "-U", UserName, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
                startInfo => Prepare(startInfo, home.FullName),
                CommandTimeout).ConfigureAwait(false);
            if (!initdb.Succeeded)
            {
                return (null, $"initdb failed ({initdb.ExitCode}): {initdb.Output}");
            }

            var port = LoopbackPorts.Reserve(1)[0];
            var output = new BoundedLog(60);
            var startInfo = new ProcessStartInfo(Launcher(runAs))
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in LauncherArguments(runAs, Path.Combine(bin, "postgres")))
            {
                startInfo.ArgumentList.Add(argument);
            }

            foreach (var argument in new[]
                     {
                         "-D", data, "-p", port.ToString(CultureInfo.InvariantCulture), "-k", sockets,
                         "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
                         "-c", "full_page_writes=off", "-c", "max_connections=100",
                     })
            {
                startInfo.ArgumentList.Add(argument);
            }

            Prepare(startInfo, home.FullName);
            var clock = Stopwatch.StartNew();
            server = new Process { StartInfo = startInfo };
            server.OutputDataReceived += (_, e) => output.Add(e.Data);
            server.ErrorDataReceived += (_, e) => output.Add(e.Data);
            server.Start();
            server.BeginOutputReadLine();
            server.BeginErrorReadLine();
            var watchdog = StartWatchdog(server, home);

            var connectionError = await FirstConnectionErrorAsync(port, server).ConfigureAwait(false);
            if (connectionError is not null)
            {
                watchdog.Kill();
                watchdog.Dispose();
                return (null, $"the server did not accept connections on port {port.ToString(CultureInfo.InvariantCulture)}: {connectionError}\n--- postgres output ---\n{output.Text}");
            }

            handedOver = true;
            return (new PrivatePostgresServer(home, server, watchdog, port, Path.GetFileName(Path.GetDirectoryName(bin)!)) { StartupTime = clock.Elapsed }, "");
        }
        finally
        {
            if (!handedOver)
            {
                if (server is { HasExited: false })
                {
                    server.Kill(entireProcessTree: true);
                    await server.WaitForExitAsync().ConfigureAwait(false);
                }

                server?.Dispose();
                try
                {
                    home.Delete(recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    private static async Task<string?> FirstConnectionErrorAsync(int port, Process server)
    {
        var connectionString = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = UserName, Database = "postgres", Pooling = false, Timeout = 5 }.ConnectionString;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync().ConfigureAwait(false);
                return null;
            }
            catch (NpgsqlException e)
            {
                if (server.HasExited)
                {
                    return $"postgres exited ({server.ExitCode.ToString(CultureInfo.InvariantCulture)}): {e.Message}";
                }

                if (clock.Elapsed > StartupTimeout)
                {
                    return e.Message;
                }

                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Under root, commands go through setpriv to run as <paramref name="runAs"/>; otherwise directly.</summary>
    private static string Launcher(UnixUser? runAs) => runAs is null ? "/bin/sh" : "/usr/bin/setpriv";

    private static string[] LauncherArguments(UnixUser? runAs, string program) =>
        runAs is null
            ? ["-c", "exec \"$0\" \"$@\"", program]
            : [$"--reuid={runAs.Uid}", $"--regid={runAs.Gid}", "--clear-groups", "--", program];

    private static void Prepare(ProcessStartInfo startInfo, string home)
    {
        // The caller's PG* settings (a PGHOST, a PGDATA) must not steer our server or its tools.
        foreach (var name in startInfo.Environment.Keys.Where(n => n.StartsWith("PG", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(name);
        }

        startInfo.Environment["HOME"] = home;
        startInfo.Environment["LC_ALL"] = "C";
        startInfo.WorkingDirectory = home;
    }

    /// <summary>Stops the server and removes its directory if the test process dies without disposing it.</summary>
    private static Process StartWatchdog(Process server, DirectoryInfo home)
    {
        const string Script = """
            while kill -0 "$1" 2>/dev/null; do sleep 1; done
            kill -INT "$2" 2>/dev/null
            i=0
            while kill -0 "$2" 2>/dev/null && [ "$i" -lt 20 ]; do sleep 1; i=$((i + 1)); done
            kill -KILL "$2" 2>/dev/null
            rm -rf "$3"
            """;
        var startInfo = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-c", Script, "hd-postgres-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), server.Id.ToString(CultureInfo.InvariantCulture), home.FullName })
        {
            startInfo.ArgumentList.Add(argument);
        }

        return Process.Start(startInfo)!;
    }

    private static async Task<UnixUser> UnprivilegedUserAsync()
    {
        foreach (var name in new[] { "postgres", "nobody" })
        {
            var uid = await CommandRunner.RunAsync("id", ["-u", name], null, CommandTimeout).ConfigureAwait(false);
            var gid = await CommandRunner.RunAsync("id", ["-g", name], null, CommandTimeout).ConfigureAwait(false);
            if (uid.Succeeded && gid.Succeeded)
            {
                return new UnixUser(name, uid.Output.Trim(), gid.Output.Trim());
            }
        }

        throw new InvalidOperationException("running as root and neither the postgres nor the nobody user exists to run PostgreSQL as");
    }

    private sealed record UnixUser(string Name, string Uid, string Gid);
}
