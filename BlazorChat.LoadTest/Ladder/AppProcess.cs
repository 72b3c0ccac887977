using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BlazorChat.LoadTest.Ladder;

/// <summary>How to start the app under test: its accounts, their hash cost, and any other settings.</summary>
public sealed record AppSettings
{
    /// <summary>Accounts in the generated seed file: UserName(1) … UserName(Users).</summary>
    public int Users { get; init; }

    public int HashIterations { get; init; } = Accounts.LowestIterations;

    /// <summary>Lifts the per-address limits (the ladder signs thousands in and opens thousands of tabs from one address); off, the app's own apply.</summary>
    public bool RaiseAddressLimits { get; init; } = true;

    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();
}

/// <summary>The accounts the ladder generates: user00001 … with password pw-1 ….</summary>
public static class Accounts
{
    /// <summary>The lowest PBKDF2 iteration count the app accepts (AccountOptionsValidator).</summary>
    public const int LowestIterations = 10_000;

    /// <summary>The app's real default.</summary>
    public const int RealIterations = 220_000;

    public static string UserName(int number) => string.Create(CultureInfo.InvariantCulture, $"user{number:00000}");

    public static string Password(int number) => string.Create(CultureInfo.InvariantCulture, $"pw-{number}");
}

/// <summary>
/// The app as a child process (<c>dotnet BlazorChat.dll</c> from a build or publish folder) with its data in a folder of
/// its own (SQLite database, data-protection keys), on a free loopback port. Stopped by its pid: SIGTERM, as systemd,
/// Docker and Ctrl+C stop it, or a kill. The ladder and the abuse scenario start it published; the process tests start
/// the tests' own build and stop, kill and restart it on the same data.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(string Text, TaskCompletionSource Seen)> _awaitedLines = [];

    private AppProcess(Process process, Uri baseAddress, string folder)
    {
        _process = process;
        BaseAddress = baseAddress;
        Folder = folder;
    }

    public Uri BaseAddress { get; }

    /// <summary>Where the app keeps its data.</summary>
    public string Folder { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines the app wrote (for failure reports).</summary>
    public string RecentOutput
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Publishes BlazorChat in Release to output (a published app serves its static files in Production).</summary>
    public static async Task PublishAsync(string repositoryRoot, string output, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "publish", Path.Combine(repositoryRoot, "BlazorChat", "BlazorChat.csproj"), "-c", "Release", "-o", output, "--nologo", "-v", "quiet" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var publish = Process.Start(start) ?? throw new InvalidOperationException("dotnet publish did not start.");
        var stdout = publish.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = publish.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await publish.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
        }
        catch
        {
            publish.Kill(entireProcessTree: true);
            throw;
        }

        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({publish.ExitCode}):\n{await stdout}\n{await stderr}");
        }
    }

    /// <summary>
    /// Starts BlazorChat.dll from <paramref name="appFolder"/> with its database and keys in <paramref name="folder"/>;
    /// does not wait for it. Settings are configuration keys (<c>Seed:UsersCsv</c>) or environment variables.
    /// </summary>
    public static AppProcess Start(string appFolder, string folder, IReadOnlyDictionary<string, string> settings)
    {
        Directory.CreateDirectory(folder);
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(appFolder, "BlazorChat.dll") },
            WorkingDirectory = appFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        start.Environment["ConnectionStrings__BlazorChat"] = $"Data Source={Path.Combine(folder, "blazorchat.db")}";
        start.Environment["DataProtection__KeysPath"] = Path.Combine(folder, "keys");
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var app = new AppProcess(process, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/")), folder);
        process.OutputDataReceived += (_, e) => app.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => app.Remember(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Starts the published app for the ladder and waits until /_diagnostics answers (seeding hashes every account first).</summary>
    public static async Task<AppProcess> StartAsync(string publishFolder, string folder, AppSettings settings, TimeSpan startTimeout, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var seed = new StringBuilder("username,password\n");
        for (var i = 1; i <= settings.Users; i++)
        {
            seed.Append(Accounts.UserName(i)).Append(',').Append(Accounts.Password(i)).Append('\n');
        }

        var seedPath = Path.Combine(folder, "users.csv");
        await File.WriteAllTextAsync(seedPath, seed.ToString(), cancellationToken);

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Seed__UsersCsv"] = seedPath,
            ["Benchmarking__Enabled"] = "true",
            ["Accounts__PasswordHashIterations"] = settings.HashIterations.ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        if (settings.RaiseAddressLimits)
        {
            environment["Accounts__SignInsPerMinutePerAddress"] = "1000000";
            environment["Accounts__SignInsPerMinutePerUser"] = "10000";
            environment["Accounts__SignInsAtOncePerAddress"] = "1024";
            environment["Chat__MaxTabsPerAddress"] = "1000000";
        }

        foreach (var (key, value) in settings.Extra)
        {
            environment[key] = value;
        }

        var app = Start(publishFolder, folder, environment);
        try
        {
            using var diagnostics = new DiagnosticsClient(app.BaseAddress);
            var clock = Stopwatch.StartNew();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (app.HasExited)
                {
                    throw new InvalidOperationException($"The app exited with {app.ExitCode} while starting:\n{app.RecentOutput}");
                }

                if (await diagnostics.TryPingAsync(cancellationToken))
                {
                    return app;
                }

                if (clock.Elapsed > startTimeout)
                {
                    throw new TimeoutException($"The app did not answer within {startTimeout.TotalSeconds:0} s:\n{app.RecentOutput}");
                }

                await Task.Delay(250, cancellationToken);
            }
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits for the host's "Now listening on" line (logged at Information by Microsoft.Hosting.Lifetime).</summary>
    public async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        Task first;
        try
        {
            first = await Task.WhenAny(_listening.Task, exited).WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The app did not start listening within {timeout}:{Environment.NewLine}{RecentOutput}");
        }

        if (first == exited)
        {
            throw new InvalidOperationException($"The app exited with code {_process.ExitCode} before listening:{Environment.NewLine}{RecentOutput}");
        }
    }

    /// <summary>Waits until the app writes a line containing <paramref name="text"/> (or has written one among its recent lines).</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_log)
        {
            if (_log.ToString().Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            _awaitedLines.Add((text, seen));
        }

        try
        {
            await seen.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The app did not write \"{text}\" within {timeout}:{Environment.NewLine}{RecentOutput}");
        }
    }

    /// <summary>Sends SIGTERM and returns how long the app took to exit; throws a <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public async Task<TimeSpan> StopWithSigTermAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
        {
            if (term is not null)
            {
                await term.WaitForExitAsync();
            }
        }

        await _process.WaitForExitAsync().WaitAsync(timeout);
        return watch.Elapsed;
    }

    /// <summary>Kills the process outright (SIGKILL): nothing gets to clean up.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM by pid, then a kill if it is still running 10 s later.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await StopWithSigTermAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (TimeoutException)
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.Length > 8000)
            {
                _log.Remove(0, _log.Length - 4000);
            }

            _log.AppendLine(line);
            _awaitedLines.RemoveAll(awaited => line.Contains(awaited.Text, StringComparison.Ordinal) && awaited.Seen.TrySetResult());
        }

        if (line.Contains("Now listening on", StringComparison.Ordinal))
        {
            _listening.TrySetResult();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
