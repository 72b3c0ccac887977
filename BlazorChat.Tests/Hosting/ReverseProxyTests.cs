using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using BlazorChat.Tests.EndToEnd;
using SignInForm = BlazorChat.Tests.EndToEnd.SignInAbuseTests.SignInForm;

namespace BlazorChat.Tests.Hosting;

/// <summary>
/// The test server behind the shipped nginx site with TLS on loopback: redirects, cookies and the live connection's
/// upgrade. The published app in Production behind the same site: <see cref="PublishedAppTests"/>.
/// </summary>
public sealed class ReverseProxyFixture : IAsyncLifetime
{
    public BlazorChatServer App { get; } = new(new Dictionary<string, string>
    {
        ["Accounts:PasswordHashIterations"] = "10000",
    });

    public NginxProxy Proxy { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App.Start();
        Proxy = await NginxProxy.StartAsync(App.BaseAddress.Port);
    }

    public async Task DisposeAsync()
    {
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        await App.DisposeAsync();
    }
}

public sealed class ReverseProxyTests(ReverseProxyFixture fixture) : IClassFixture<ReverseProxyFixture>
{
    private NginxProxy Proxy => fixture.Proxy;

    [Fact]
    public async Task PlainHttp_IsSentToHttps()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Proxy.HttpAddress };

        using var response = await client.GetAsync("/signin?x=1");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal($"https://127.0.0.1/signin?x=1", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task SignIn_ThroughTheProxy_GivesASecureCookieAndNoRedirectLeavesHttps()
    {
        var cookies = new CookieContainer();
        using var client = Proxy.CreateClient(IPAddress.Parse("127.0.0.11"), cookies);

        using var anonymous = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        AssertStaysOnHttps(anonymous.Headers.Location!);

        using var form = await SignInForm.OpenAsync(client);
        using var signedIn = await form.PostAsync("hira", "najeeb");

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        AssertStaysOnHttps(signedIn.Headers.Location!);
        var setCookies = signedIn.Headers.GetValues("Set-Cookie").ToList();
        var auth = Assert.Single(setCookies, c => c.StartsWith("BlazorChat.Auth=", StringComparison.Ordinal));
        Assert.Contains("; secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.All(setCookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));

        using var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Matches("data-testid=\"signed-in-user\"[^>]*>hira<", await home.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LiveConnection_FromThePublicOrigin_UpgradesToAWebSocketThroughTheProxy()
    {
        var origin = Proxy.HttpsAddress.GetLeftPart(UriPartial.Authority);
        using var client = Proxy.CreateClient();
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        negotiate.Headers.Add("Origin", origin);
        using var negotiated = await client.SendAsync(negotiate);
        Assert.Equal(HttpStatusCode.OK, negotiated.StatusCode);
        var token = JsonDocument.Parse(await negotiated.Content.ReadAsStringAsync()).RootElement.GetProperty("connectionToken").GetString();

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", origin);
        socket.Options.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == Proxy.Certificate.Thumbprint;
        var address = new Uri($"wss://{Proxy.HttpsAddress.Authority}/_blazor?id={token}");
        await socket.ConnectAsync(address, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(WebSocketState.Open, socket.State);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
    }

    private void AssertStaysOnHttps(Uri location) =>
        Assert.True(!location.IsAbsoluteUri || location.Scheme == Uri.UriSchemeHttps, $"redirect to {location} leaves https");
}
