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

    /// <summary>Lifts the sign-in limits (the ladder signs thousands in from one address); off, the app's own apply.</summary>
    public bool RaiseSignInLimits { get; init; } = true;

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
/// The app in Release as a child process of the ladder: its own folder (SQLite database, generated seed file,
/// data-protection keys), Benchmarking enabled, on a free loopback port. Stopped by its pid: SIGTERM, then a
/// kill if it has not exited within 10 s.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private AppProcess(Process process, Uri baseAddress, string folder)
    {
        _process = process;
        BaseAddress = baseAddress;
        Folder = folder;
    }

    public Uri BaseAddress { get; }

    public string Folder { get; }

    public int Pid => _process.Id;

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

    /// <summary>Starts the published app and waits until /_diagnostics answers (seeding hashes every account first).</summary>
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

        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(publishFolder, "BlazorChat.dll") },
            WorkingDirectory = publishFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"),
            ["ConnectionStrings__BlazorChat"] = $"Data Source={Path.Combine(folder, "bench.db")}",
            ["Seed__UsersCsv"] = seedPath,
            ["DataProtection__KeysPath"] = Path.Combine(folder, "keys"),
            ["Benchmarking__Enabled"] = "true",
            ["Accounts__PasswordHashIterations"] = settings.HashIterations.ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        if (settings.RaiseSignInLimits)
        {
            environment["Accounts__SignInsPerMinutePerAddress"] = "1000000";
            environment["Accounts__SignInsPerMinutePerUser"] = "10000";
        }

        foreach (var (key, value) in settings.Extra)
        {
            environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The app did not start.");
        var app = new AppProcess(process, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/")), folder);
        process.OutputDataReceived += (_, e) => app.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => app.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            using var diagnostics = new DiagnosticsClient(app.BaseAddress);
            var clock = Stopwatch.StartNew();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The app exited with {process.ExitCode} while starting:\n{app.RecentOutput}");
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

    /// <summary>SIGTERM by pid, then a kill if it is still running 10 s later.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
                {
                    if (term is not null)
                    {
                        await term.WaitForExitAsync();
                    }
                }

                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await _process.WaitForExitAsync(patience.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill();
                    await _process.WaitForExitAsync();
                }
            }
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
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
