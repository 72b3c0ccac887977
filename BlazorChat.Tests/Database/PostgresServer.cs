using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace BlazorChat.Tests.Database;

/// <summary>
/// Debian's PostgreSQL (test.sh installs the package; apt starts no service here), run for the tests: a cluster made
/// by initdb in a temp folder, listening on 127.0.0.1 on a free port with its socket in that folder, stopped by its
/// pid. PostgreSQL refuses to run as root, so under root it runs as the package's <c>postgres</c> user.
/// Each test takes a database of its own from <see cref="CreateDatabaseAsync"/>. Shared through <see cref="PostgresCollection"/>.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string ReadyLine = "database system is ready to accept connections";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "blazorchat-pg-" + Guid.NewGuid().ToString("N"));

    public int Port { get; private set; }

    /// <summary>The superuser's connection to the <c>postgres</c> database (trust authentication on loopback).</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database }.ConnectionString;

    /// <summary>A new, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "blazorchat_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async Task InitializeAsync()
    {
        var bin = FindBinFolder();
        Directory.CreateDirectory(Folder);
        var data = Path.Combine(Folder, "data");
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", "postgres:postgres", Folder);
        }

        await RunAsync(Command(asRoot, Path.Combine(bin, "initdb")), [.. Prefix(asRoot, Path.Combine(bin, "initdb")),
            "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);

        Port = FreePort();
        var start = new ProcessStartInfo(Command(asRoot, Path.Combine(bin, "postgres")))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[.. Prefix(asRoot, Path.Combine(bin, "postgres")),
            "-D", data, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", Folder,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
            "-c", "max_connections=200"])
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, e) => OnLogLine(e.Data);
        _process.OutputDataReceived += (_, e) => OnLogLine(e.Data);
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException("PostgreSQL stopped while starting:\n" + Log));
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        await _ready.Task.WaitAsync(StartTimeout);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_process is { HasExited: false })
        {
            // SIGINT is PostgreSQL's fast shutdown: sessions are ended and the server exits cleanly. The pid is the
            // postmaster's own (postmaster.pid), not that of runuser in between.
            var pid = File.ReadLines(Path.Combine(Folder, "data", "postmaster.pid")).First();
            await RunAsync("kill", "-INT", pid);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                await RunAsync("kill", "-KILL", pid);
                await _process.WaitForExitAsync();
            }
        }

        _process?.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    private void OnLogLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }

        if (line.Contains(ReadyLine, StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    private static string FindBinFolder()
    {
        // The newest installed major version: Debian 12 has 15.
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "postgres")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres): test.sh installs Debian's postgresql package.");
    }

    private static string Command(bool asRoot, string program) => asRoot ? "runuser" : program;

    private static string[] Prefix(bool asRoot, string program) => asRoot ? ["-u", "postgres", "--", program] : [];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}{await error}");
        }
    }
}

/// <summary>The tests that share one <see cref="PostgresServer"/>; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "Postgres";
}
