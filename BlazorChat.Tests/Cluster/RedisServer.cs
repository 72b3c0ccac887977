using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BlazorChat.Tests.Cluster;

/// <summary>
/// Debian's redis-server on 127.0.0.1 and a free port, with no persistence (<c>--save "" --appendonly no</c>), its own
/// folder, pid file and log in a temporary directory. <see cref="StopAsync"/> and <see cref="StartAsync"/> again on the
/// same port give "Redis goes away and comes back". Stopped by its pid on dispose.
/// Use it as an xUnit class or collection fixture (<see cref="IAsyncLifetime"/> starts it), or directly:
/// <c>await using var redis = await RedisServer.StartNewAsync();</c>.
/// </summary>
public sealed class RedisServer : IAsyncLifetime, IAsyncDisposable
{
    public const string DefaultServerPath = "/usr/bin/redis-server";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly string? _configFile;
    private Process? _process;

    public RedisServer()
        : this(configFile: null)
    {
    }

    private RedisServer(string? configFile)
    {
        _configFile = configFile;
        Port = FreePort();
        Folder = Directory.CreateTempSubdirectory("blazorchat-redis-").FullName;
    }

    /// <summary>A server not yet started that runs from <paramref name="configFile"/> (deploy/redis-blazorchat.conf): its
    /// own persistence settings count; the address, port, folder, pid file and log given here override its own.</summary>
    public static RedisServer FromConfigFile(string configFile) => new(configFile);

    /// <summary>redis-server from Debian (./test.sh installs it), or BLAZORCHAT_REDIS_SERVER.</summary>
    public static string ServerPath => Environment.GetEnvironmentVariable("BLAZORCHAT_REDIS_SERVER") is { Length: > 0 } path ? path : DefaultServerPath;

    public int Port { get; }

    /// <summary>The StackExchange.Redis connection string: "127.0.0.1:PORT".</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    public string Folder { get; }

    public string PidFile => Path.Combine(Folder, "redis.pid");

    public string LogFile => Path.Combine(Folder, "redis.log");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The pid of the running server.</summary>
    public int Pid => _process?.Id ?? throw new InvalidOperationException("redis-server is not running.");

    public static async Task<RedisServer> StartNewAsync()
    {
        var server = new RedisServer();
        try
        {
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts redis-server on <see cref="Port"/> and waits until it answers PING.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("redis-server is already running.");
        }

        Assert.True(File.Exists(ServerPath), $"{ServerPath} is missing: ./test.sh installs Debian's redis-server (apt-get install -y redis-server).");
        var start = new ProcessStartInfo(ServerPath)
        {
            ArgumentList =
            {
                "--bind", "127.0.0.1",
                "--port", Port.ToString(CultureInfo.InvariantCulture),
                "--protected-mode", "yes",
                "--daemonize", "no",
                "--dir", Folder,
                "--pidfile", PidFile,
                "--logfile", LogFile,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (_configFile is not null)
        {
            start.ArgumentList.Insert(0, _configFile);
        }
        else
        {
            foreach (var argument in (string[])["--save", "", "--appendonly", "no"])
            {
                start.ArgumentList.Add(argument);
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var clock = Stopwatch.StartNew();
        while (!await AnswersPingAsync())
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {process.ExitCode}:\n{Log()}");
            }

            if (clock.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"redis-server did not answer PING on port {Port} within {StartTimeout.TotalSeconds:0} s:\n{Log()}");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>SIGTERM by pid (a kill if it is still running after 10 s); the port stays this server's for <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        var process = _process;
        _process = null;
        try
        {
            if (!process.HasExited)
            {
                using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
                {
                    await term!.WaitForExitAsync();
                }

                try
                {
                    await process.WaitForExitAsync().WaitAsync(StopTimeout);
                }
                catch (TimeoutException)
                {
                    process.Kill();
                    await process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>SIGKILL: Redis vanishes without closing anything itself (the kernel still resets its connections).</summary>
    public async Task KillAsync()
    {
        if (_process is null)
        {
            return;
        }

        var process = _process;
        _process = null;
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>Whether something on <see cref="Port"/> answers a RESP PING with +PONG right now.</summary>
    public async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>What redis-server wrote to its log (for failure reports).</summary>
    public string Log() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no log)";

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// One redis-server shared by the test classes marked <c>[Collection(RedisCollection.Name)]</c> (they then run one at a
/// time). A test that stops or kills it must start it again before it ends.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServer>
{
    public const string Name = "Redis";
}
