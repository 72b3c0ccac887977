using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BlazorChat.Tests.EndToEnd;

/// <summary>
/// The app as a real child process (its own build output), on a free loopback port, so tests can stop it
/// with SIGTERM or kill it outright and start it again on the same database.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    private AppProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    /// <summary>Starts the app with its data in <paramref name="dataDirectory"/>; does not wait for it.</summary>
    public static AppProcess Start(string dataDirectory, IDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var appDirectory = AppBuildDirectory();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(appDirectory, "BlazorChat.dll"));
        // As `dotnet run` does: an unpublished build serves its static files (blazor.web.js, MudBlazor) only in Development.
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["ConnectionStrings__BlazorChat"] = $"Data Source={Path.Combine(dataDirectory, "blazorchat.db")}";
        info.Environment["DataProtection__KeysPath"] = Path.Combine(dataDirectory, "keys");
        info.Environment["Logging__LogLevel__Default"] = "Information";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var app = new AppProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => app.Record(e.Data);
        process.ErrorDataReceived += (_, e) => app.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

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
            throw new TimeoutException($"The app did not start listening within {timeout}:{Environment.NewLine}{Output}");
        }

        if (first == exited)
        {
            throw new InvalidOperationException($"The app exited with code {_process.ExitCode} before listening:{Environment.NewLine}{Output}");
        }
    }

    /// <summary>Sends SIGTERM (what systemd, Docker and Ctrl+C-like stops send) and returns how long the app took to exit.</summary>
    public async Task<TimeSpan> StopWithSigTermAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
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

    public int ExitCode => _process.ExitCode;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
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

    /// <summary>BlazorChat's own build output, built in the same configuration as these tests.</summary>
    private static string AppBuildDirectory()
    {
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = testDirectory.Name;
        var configuration = testDirectory.Parent!.Name;
        var root = testDirectory;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "BlazorChat.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"BlazorChat.sln was not found above {AppContext.BaseDirectory}.");
        }

        return Path.Combine(root.FullName, "BlazorChat", "bin", configuration, framework);
    }
}
