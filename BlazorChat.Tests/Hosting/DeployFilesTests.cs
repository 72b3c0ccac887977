using System.Diagnostics;

namespace BlazorChat.Tests.Hosting;

/// <summary>The files an operator copies from deploy/ are valid for the tools that will read them.</summary>
public sealed class DeployFilesTests
{
    private static readonly string Unit = Path.Combine(NginxProxy.RepositoryRoot, "deploy", "blazorchat.service");

    [Fact]
    public async Task NginxSite_WithTestCertificates_PassesNginxTest()
    {
        Assert.True(File.Exists(NginxProxy.NginxPath), $"{NginxProxy.NginxPath} is missing: ./test.sh installs Debian's nginx.");
        var (folder, config, certificate) = NginxProxy.Prepare(NginxProxy.FreePort(), NginxProxy.FreePort(), NginxProxy.FreePort());
        try
        {
            var (exitCode, output) = await NginxProxy.TestConfigurationAsync(folder, config);

            Assert.True(exitCode == 0, output);
            Assert.Contains("test is successful", output, StringComparison.Ordinal);
        }
        finally
        {
            certificate.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void NginxSite_UpgradesWebSocketsByTheMapAndAllowsFileSizedBodies()
    {
        // The site and the proxying it includes, as nginx reads them.
        var site = File.ReadAllText(NginxProxy.ShippedSite) + File.ReadAllText(NginxProxy.ShippedSnippet);

        Assert.Contains("map $http_upgrade $connection_upgrade", site, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header Connection        $connection_upgrade;", site, StringComparison.Ordinal);
        Assert.DoesNotContain(site.Split('\n'), l => !l.TrimStart().StartsWith('#') && l.Contains("Connection \"upgrade\"", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("ssl_protocols TLSv1.2 TLSv1.3;", site, StringComparison.Ordinal);
        Assert.Contains("client_max_body_size 101m;", site, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SystemdUnit_PassesSystemdAnalyzeVerifyWithoutAWarning()
    {
        var (exitCode, output) = await VerifyAsync(File.ReadAllText(Unit));

        Assert.True(exitCode == 0 && output.Length == 0, $"systemd-analyze verify exited {exitCode}:\n{output}");
    }

    [Fact]
    public async Task SystemdAnalyzeVerify_FindsAMistypedSetting()
    {
        // systemd-analyze exits 0 on a unit it ignores lines of: the test above relies on it printing them.
        var (_, output) = await VerifyAsync(File.ReadAllText(Unit).Replace("ProtectSystem=strict", "ProtectSystm=strict", StringComparison.Ordinal));

        Assert.Contains("ProtectSystm", output, StringComparison.Ordinal);
    }

    [Fact]
    public void SystemdUnit_IsHardenedButLetsTheJitWork()
    {
        var unit = File.ReadAllLines(Unit).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);

        foreach (var line in (string[])["User=blazorchat", "NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes",
            "StateDirectory=blazorchat", "ReadWritePaths=/var/lib/blazorchat", "Restart=always", "KillSignal=SIGTERM"])
        {
            Assert.Contains(line, unit);
        }

        Assert.DoesNotContain(unit, l => l.StartsWith("MemoryDenyWriteExecute", StringComparison.Ordinal));
    }

    /// <summary>systemd-analyze verify on a copy named <paramref name="unitName"/>, with ExecStart's dotnet where this machine has it.</summary>
    internal static async Task<(int ExitCode, string Output)> VerifyAsync(string unitText, string unitName = "blazorchat.service")
    {
        const string Analyze = "/usr/bin/systemd-analyze";
        Assert.True(File.Exists(Analyze), $"{Analyze} is missing (Debian's systemd package).");
        var dotnet = File.Exists("/usr/bin/dotnet") ? "/usr/bin/dotnet" : Environment.ProcessPath!;
        var folder = Directory.CreateTempSubdirectory("blazorchat-unit-").FullName;
        try
        {
            var path = Path.Combine(folder, unitName);
            await File.WriteAllTextAsync(path, unitText.Replace("ExecStart=/usr/bin/dotnet", "ExecStart=" + dotnet, StringComparison.Ordinal));
            var start = new ProcessStartInfo(Analyze, ["verify", path]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            using var process = Process.Start(start)!;
            var output = (await process.StandardError.ReadToEndAsync() + await process.StandardOutput.ReadToEndAsync()).Trim();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            return (process.ExitCode, output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
