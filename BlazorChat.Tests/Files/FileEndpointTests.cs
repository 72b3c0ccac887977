using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using BlazorChat.Chat;
using BlazorChat.Files;
using BlazorChat.Tests.EndToEnd;

namespace BlazorChat.Tests.Files;

/// <summary>The real app on Kestrel, over HTTP as a browser sends files: partner-only, sandboxed, capped.</summary>
public sealed partial class FileEndpointTests(FileEndpointTests.Server fixture) : IClassFixture<FileEndpointTests.Server>, IAsyncLifetime
{
    private const int MaxFileSize = 1024 * 1024;

    private Person _hamza = null!;
    private Person _karam = null!;
    private ChatConnection _hamzaTab = null!;
    private ChatConnection _karamTab = null!;
    private long _chat;

    public async Task InitializeAsync()
    {
        _hamza = await SignInAsync("hamza", "123");
        _karam = await SignInAsync("karam", "naveed");
        var router = fixture.App.Services.GetRequiredService<ChatRouter>();
        _hamzaTab = router.Connect("hamza", static _ => Task.CompletedTask);
        _karamTab = router.Connect("karam", static _ => Task.CompletedTask);
        _hamzaTab.Pick("karam");
        Assert.Equal(PickResult.Paired, _karamTab.Pick("hamza"));
        _chat = _hamzaTab.GetSnapshot().Conversation!.Id;
    }

    public Task DisposeAsync()
    {
        // The next test pairs the two again (and finds the folder empty).
        _hamzaTab.End();
        _hamzaTab.Dispose();
        _karamTab.Dispose();
        _hamza.Client.Dispose();
        _karam.Client.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Download_ByThePartner_GivesTheSameBytesAsAnAttachmentInASandbox()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        var id = await UploadOkAsync(_hamza, bytes, "report.pdf", "application/pdf");

        using var response = await _karam.Client.GetAsync($"files/{id:N}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await response.Content.ReadAsByteArrayAsync()));
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Contains("filename*=UTF-8''report.pdf", response.Content.Headers.ContentDisposition.ToString(), StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("default-src 'none'; sandbox", Header(response, "Content-Security-Policy"));
        Assert.Contains("no-store", Header(response, "Cache-Control"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_ARange_GivesThoseBytes()
    {
        var bytes = RandomNumberGenerator.GetBytes(200_000);
        var id = await UploadOkAsync(_hamza, bytes, "a.bin");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"files/{id:N}");
        request.Headers.Range = new RangeHeaderValue(70_000, 139_999);

        using var response = await _karam.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(bytes[70_000..140_000], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Download_ByAStrangerOrSignedOut_Is404LikeAMissingFile()
    {
        var id = await UploadOkAsync(_hamza, [1, 2, 3], "a.png", "image/png");
        var stranger = await SignInAsync("hira", "najeeb");
        using var signedOut = fixture.App.CreateBrowserLikeClient();

        foreach (var path in new[] { $"files/{id:N}", $"files/{id:N}/preview", $"files/{Guid.NewGuid():N}" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await signedOut.GetAsync(path)).StatusCode);
        }

        using var strangerUpload = await Upload(stranger, [1], "b.txt");
        Assert.True(strangerUpload.StatusCode == HttpStatusCode.NotFound, await strangerUpload.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await signedOut.PostAsync($"files?chat={_chat}&name=b.txt", new ByteArrayContent([1]))).StatusCode);
        stranger.Client.Dispose();
    }

    [Fact]
    public async Task Download_AfterTheChatEnded_Is404AndTheBytesAreGone()
    {
        var id = await UploadOkAsync(_hamza, new byte[10_000], "a.bin");

        Assert.True(_karamTab.End());

        Assert.Equal(HttpStatusCode.NotFound, (await _karam.Client.GetAsync($"files/{id:N}")).StatusCode);
        Assert.Empty(Directory.GetFiles(fixture.FilesFolder));
    }

    [Fact]
    public async Task Upload_ZeroBytes_IsAFileOfZeroBytes()
    {
        var id = await UploadOkAsync(_hamza, [], "empty.txt", "text/plain");

        using var response = await _karam.Client.GetAsync($"files/{id:N}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Upload_NameWithPathPartsControlsAndBidi_IsCleanedAndNeverAPath()
    {
        var hostile = "..\\..//tmp/\u202Egnp.exe\u0000\r\n<img src=x onerror=alert(1)>.txt";

        using var response = await Upload(_hamza, [1, 2], hostile);
        var answer = await response.Content.ReadFromJsonAsync<FileEndpoints.UploadAnswer>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gnp.exe<img src=x onerror=alert(1)>.txt", answer!.Name);
        Assert.All(Directory.GetFiles(fixture.FilesFolder), path => Assert.Matches("^[0-9a-f]{32}\\.sealed$", Path.GetFileName(path)));
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "gnp.exe")));
        using var download = await _karam.Client.GetAsync($"files/{answer.Id:N}");
        Assert.Equal("gnp.exe<img src=x onerror=alert(1)>.txt", download.Content.Headers.ContentDisposition!.FileNameStar);
    }

    [Fact]
    public async Task Upload_WrongOrMissingAntiforgeryToken_IsRefusedAndStoresNothing()
    {
        var router = fixture.App.Services.GetRequiredService<ChatRouter>();
        using var wrong = new HttpRequestMessage(HttpMethod.Post, $"files?chat={_chat}&name=a.txt") { Content = new ByteArrayContent([1]) };
        wrong.Headers.Add("RequestVerificationToken", _karam.Token);
        using var missing = new HttpRequestMessage(HttpMethod.Post, $"files?chat={_chat}&name=a.txt") { Content = new ByteArrayContent([1]) };

        Assert.Equal(HttpStatusCode.BadRequest, (await _hamza.Client.SendAsync(wrong)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _hamza.Client.SendAsync(missing)).StatusCode);
        Assert.Empty(router.SharedFiles(_karamTab, _chat));
        Assert.Empty(Directory.GetFiles(fixture.FilesFolder));
    }

    [Fact]
    public async Task Upload_DeclaredTooLarge_IsRefusedWithTheLimit()
    {
        using var response = await Upload(_hamza, new byte[MaxFileSize + 1], "big.bin");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("Files up to 1 MB.", (await response.Content.ReadFromJsonAsync<FileEndpoints.UploadAnswer>())!.Error);
        Assert.Empty(Directory.GetFiles(fixture.FilesFolder));
    }

    [Fact]
    public async Task Upload_PassingTheLimitMidStream_IsCutOffAndLeavesNothing()
    {
        var store = fixture.App.Services.GetRequiredService<FileStore>();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"files?chat={_chat}&name=big.bin")
        {
            // No length given: the server finds out only as the bytes come.
            Content = new StreamContent(new UnknownLengthStream(new MemoryStream(new byte[MaxFileSize + 300_000]))),
        };
        request.Headers.Add("RequestVerificationToken", _hamza.Token);
        request.Headers.TransferEncodingChunked = true;

        // The server answers 413 and closes the connection: the client may see the answer, or only the cut.
        try
        {
            using var response = await _hamza.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }
        catch (HttpRequestException)
        {
            // Cut off while still sending.
        }

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (store.Count > 0 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }

        Assert.Equal(0, store.Count);
        Assert.Empty(Directory.GetFiles(fixture.FilesFolder));
        Assert.Equal(0, store.UsedBytes);
        Assert.Empty(fixture.App.Services.GetRequiredService<ChatRouter>().SharedFiles(_karamTab, _chat));
    }

    [Fact]
    public async Task Preview_OnlyForARasterImageWhoseBytesMatch_ServedAsThatType()
    {
        var png = await UploadOkAsync(_hamza, TestImages.Png, "dot.png", "image/png");
        var svg = await UploadOkAsync(_hamza, TestImages.ScriptedSvg, "evil.svg", "image/svg+xml");
        var disguised = await UploadOkAsync(_hamza, TestImages.ScriptedSvg, "evil.png", "image/png");

        using var preview = await _karam.Client.GetAsync($"files/{png:N}/preview");

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("image/png", preview.Content.Headers.ContentType!.MediaType);
        Assert.Equal("default-src 'none'; sandbox", Header(preview, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(preview, "X-Content-Type-Options"));
        Assert.Equal(TestImages.Png, await preview.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await _karam.Client.GetAsync($"files/{svg:N}/preview")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _karam.Client.GetAsync($"files/{disguised:N}/preview")).StatusCode);
        using var svgDownload = await _karam.Client.GetAsync($"files/{svg:N}");
        Assert.Equal("application/octet-stream", svgDownload.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", svgDownload.Content.Headers.ContentDisposition!.DispositionType);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : "";

    private async Task<Guid> UploadOkAsync(Person person, byte[] bytes, string name, string type = "application/octet-stream")
    {
        using var response = await Upload(person, bytes, name, type);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<FileEndpoints.UploadAnswer>())!.Id!.Value;
    }

    private Task<HttpResponseMessage> Upload(Person person, byte[] bytes, string name, string type = "application/octet-stream")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        var request = new HttpRequestMessage(HttpMethod.Post, $"files?chat={_chat}&name={Uri.EscapeDataString(name)}") { Content = content };
        request.Headers.Add("RequestVerificationToken", person.Token);
        return person.Client.SendAsync(request);
    }

    private async Task<Person> SignInAsync(string userName, string password)
    {
        var client = fixture.App.CreateBrowserLikeClient();
        var form = await client.GetStringAsync("/signin");
        using var signedIn = await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = TokenPattern().Match(form).Groups["token"].Value,
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        // The chat page carries a token for the signed-in user (its sign-out form), as the file list's does.
        var home = await client.GetStringAsync("/");
        var token = TokenPattern().Match(home).Groups["token"].Value;
        Assert.True(token.Length > 0, home);
        return new Person(client, token);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenPattern();

    private sealed record Person(HttpClient Client, string Token);

    /// <summary>A stream that does not say how long it is, so the request goes chunked.</summary>
    private sealed class UnknownLengthStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>One app for these tests, with a 1 MiB file cap and no upload rate limit.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public Server()
        {
            FilesFolder = Path.Combine(Path.GetTempPath(), "blazorchat-tests", Guid.NewGuid().ToString("N"), "files");
            App = new BlazorChatServer(new Dictionary<string, string>
            {
                ["Files:MaxFileSize"] = MaxFileSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Files:MaxUploadsPerMinute"] = "0",
                ["Files:Path"] = FilesFolder,
            });
        }

        public BlazorChatServer App { get; }

        public string FilesFolder { get; }

        public Task InitializeAsync()
        {
            App.Start();
            return Task.CompletedTask;
        }

        public async Task DisposeAsync()
        {
            await App.DisposeAsync();
            Directory.Delete(Path.GetDirectoryName(FilesFolder)!, recursive: true);
        }
    }
}
