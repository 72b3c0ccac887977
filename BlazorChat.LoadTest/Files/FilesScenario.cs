using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using BlazorChat.LoadTest.Chat;
using BlazorChat.LoadTest.Ladder;
using BlazorChat.LoadTest.Protocol;
using Microsoft.Playwright;

namespace BlazorChat.LoadTest.Files;

/// <summary>
/// File transfer through a running BlazorChat on loopback: two seeded people (hamza, karam) pair over the headless
/// client, then one uploads and the other downloads over HTTP exactly as js/files.js and the Download link do, while
/// the server's resident memory is sampled from /proc. With --chromium, a real browser sends a file and its partner's
/// browser downloads it.
/// </summary>
internal static partial class FilesScenario
{
    public static async Task<int> RunAsync(Uri baseAddress, int pid, int sizeMb, int bigMb, int parallel, bool chromium, CancellationToken cancellationToken)
    {
        string? uploadUrl = null;
        var interop = JsInterop.ForBlazorChat().Answer("blazorChatFiles.attach", call =>
        {
            uploadUrl ??= call.Arguments[3].GetProperty("url").GetString();
            return null;
        });
        using var http = new BrowserHttp(TimeSpan.FromMinutes(10));
        await using var sender = new ChatPerson("hamza", "123", http, baseAddress, TimeSpan.FromSeconds(60), interop: interop);
        await using var partner = new ChatPerson("karam", "naveed", http, baseAddress, TimeSpan.FromSeconds(60));
        await sender.SignInAsync(cancellationToken);
        await partner.SignInAsync(cancellationToken);
        await sender.OpenChatPageAsync(cancellationToken);
        await partner.OpenChatPageAsync(cancellationToken);
        await sender.PickAsync("karam", cancellationToken);
        await partner.PickAsync("hamza", cancellationToken);
        await sender.WaitUntilChattingAsync("karam", cancellationToken);
        var waited = Stopwatch.StartNew();
        while (Volatile.Read(ref uploadUrl) is null)
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException("The chat page never attached its file list.");
            }

            await Task.Delay(10, cancellationToken);
        }

        var (_, home) = await sender.Session.GetAsync(new Uri(baseAddress, "/"), cancellationToken);
        var token = TokenPattern().Match(home).Groups["token"].Value;
        var upload = new Uri(baseAddress, uploadUrl);
        var memory = new ResidentMemory(pid);

        // One file each way, timed alone.
        var size = sizeMb * 1024L * 1024;
        var (id, up) = await UploadAsync(sender.Session, upload, token, size, cancellationToken);
        var down = await DownloadAsync(partner.Session, new Uri(baseAddress, $"files/{id:N}"), size, cancellationToken);
        Report($"{sizeMb} MB upload", size, up);
        Report($"{sizeMb} MB download", size, down);

        // Several at once: uploads, then their downloads.
        var clock = Stopwatch.StartNew();
        var ids = await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => UploadAsync(sender.Session, upload, token, size, cancellationToken)));
        var uploadsAtOnce = clock.Elapsed;
        clock.Restart();
        await Task.WhenAll(ids.Select(u => DownloadAsync(partner.Session, new Uri(baseAddress, $"files/{u.Id:N}"), size, cancellationToken)));
        var downloadsAtOnce = clock.Elapsed;
        Report($"{parallel} × {sizeMb} MB uploads at once", size * parallel, uploadsAtOnce);
        Report($"{parallel} × {sizeMb} MB downloads at once", size * parallel, downloadsAtOnce);

        // Memory during one big file each way (the cap raised for it), against what the server held just before.
        if (bigMb > 0)
        {
            var big = bigMb * 1024L * 1024;
            var before = memory.Current();
            using var sampling = new CancellationTokenSource();
            var sampler = memory.SamplePeakAsync(sampling.Token);
            var (bigId, bigUp) = await UploadAsync(sender.Session, upload, token, big, cancellationToken);
            var bigDown = await DownloadAsync(partner.Session, new Uri(baseAddress, $"files/{bigId:N}"), big, cancellationToken);
            await sampling.CancelAsync();
            var peak = await sampler;
            Report($"{bigMb} MB upload", big, bigUp);
            Report($"{bigMb} MB download", big, bigDown);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"server resident memory: {before / 1048576.0:0.0} MB before, peak {peak / 1048576.0:0.0} MB during the {bigMb} MB transfer: growth {(peak - before) / 1048576.0:0.0} MB"));
        }

        await sender.EndChatAsync(cancellationToken);
        if (chromium)
        {
            await BrowserAsync(baseAddress, sizeMb, cancellationToken);
        }

        return 0;
    }

    private static void Report(string what, long bytes, TimeSpan elapsed) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {elapsed.TotalSeconds:0.000} s, {bytes / 1048576.0 / elapsed.TotalSeconds:0} MB/s"));

    private static async Task<(Guid Id, TimeSpan Elapsed)> UploadAsync(BrowserSession session, Uri upload, string token, long size, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(upload + "&name=bench.bin"))
        {
            Content = new StreamContent(new PatternStream(size), 256 * 1024),
        };
        request.Content.Headers.ContentLength = size;
        request.Content.Headers.ContentType = new("application/octet-stream");
        request.Headers.Add("RequestVerificationToken", token);
        request.Headers.TryAddWithoutValidation("Cookie", session.Cookies.CookieHeader);
        var clock = Stopwatch.StartNew();
        using var response = await session.Http.Invoker.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The upload was answered {(int)response.StatusCode}: {body}");
        }

        return (Guid.Parse(IdPattern().Match(body).Groups["id"].Value), clock.Elapsed);
    }

    private static async Task<TimeSpan> DownloadAsync(BrowserSession session, Uri file, long size, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, file);
        request.Headers.TryAddWithoutValidation("Cookie", session.Cookies.CookieHeader);
        var clock = Stopwatch.StartNew();
        using var response = await session.Http.Invoker.SendAsync(request, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[256 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
        }

        return total == size ? clock.Elapsed : throw new InvalidOperationException($"The download gave {total} bytes of {size}.");
    }

    // From choosing a file in the sender's Chromium to the partner's Chromium having downloaded it.
    private static async Task BrowserAsync(Uri baseAddress, int sizeMb, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"blazorchat-bench-{Guid.NewGuid():N}.bin");
        await using (var file = File.Create(path))
        {
            await new PatternStream(sizeMb * 1024L * 1024).CopyToAsync(file, cancellationToken);
        }

        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = BrowserScenario.ChromiumPath,
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                ],
            });
            await using var senderContext = await browser.NewContextAsync();
            await using var partnerContext = await browser.NewContextAsync(new() { AcceptDownloads = true });
            var sender = await SignInAsync(senderContext, baseAddress, "hira", "najeeb");
            var partner = await SignInAsync(partnerContext, baseAddress, "rushna", "shah");
            await sender.GetByRole(AriaRole.Button, new() { Name = "Chat with rushna" }).ClickAsync();
            await partner.GetByRole(AriaRole.Button, new() { Name = "Chat with hira" }).ClickAsync();
            await Assertions.Expect(sender.GetByTestId("allowed-notice")).ToBeVisibleAsync();

            var clock = Stopwatch.StartNew();
            await sender.GetByLabel("Send a file").SetInputFilesAsync(path);
            var link = partner.Locator("[data-testid=file-card][data-status=Received]").GetByRole(AriaRole.Link, new() { Name = "Download" });
            await Assertions.Expect(link).ToBeVisibleAsync(new() { Timeout = 120_000 });
            var arrived = clock.Elapsed;
            var download = await partner.RunAndWaitForDownloadAsync(() => link.ClickAsync());
            var saved = await download.PathAsync();
            var total = clock.Elapsed;
            if (new FileInfo(saved).Length != sizeMb * 1024L * 1024)
            {
                throw new InvalidOperationException("The browser's download is not the whole file.");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Chromium, {sizeMb} MB: chosen to partner's card {arrived.TotalSeconds:0.00} s, to partner's download complete {total.TotalSeconds:0.00} s"));
            await sender.GetByRole(AriaRole.Button, new() { Name = "End chat" }).ClickAsync();
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<IPage> SignInAsync(IBrowserContext context, Uri baseAddress, string userName, string password)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(baseAddress, "/").ToString());
        await page.GetByLabel("Username").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator(".chat-page[data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        return page;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("\"id\":\"(?<id>[0-9a-f-]{36})\"")]
    private static partial Regex IdPattern();

    /// <summary>A server process's resident memory (VmRSS), read from /proc.</summary>
    private sealed class ResidentMemory(int pid)
    {
        public long Current()
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }

            throw new InvalidOperationException($"No VmRSS for process {pid}.");
        }

        public async Task<long> SamplePeakAsync(CancellationToken stop)
        {
            var peak = Current();
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, Current());
                try
                {
                    await Task.Delay(20, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            return Math.Max(peak, Current());
        }
    }

    /// <summary>A stream of the given length that makes its bytes as it is read, so the client holds no file.</summary>
    private sealed class PatternStream(long length) : Stream
    {
        // Not all zeros (nothing on the way may shortcut them) and cheap to make: one block, repeated.
        private static readonly byte[] Block = [.. Enumerable.Range(0, 64 * 1024).Select(static i => (byte)(i * 31 >> 3))];
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = (int)Math.Min(Math.Min(buffer.Length, length - _position), Block.Length);
            Block.AsSpan(0, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
