using BlazorChat.Accounts;
using BlazorChat.Components.SignIn;
using BlazorChat.Tests.Accounts;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace BlazorChat.Tests.Components;

/// <summary>The sign-in page is statically rendered: it needs MudBlazor and the sign-in service, not the router.</summary>
public sealed class SignInPageTests : BunitContext, IAsyncLifetime
{
    private readonly Microsoft.AspNetCore.Identity.PasswordHasher<Data.UserAccount> _hasher = AccountsTestDatabase.CreateFastHasher();
    private AccountsTestDatabase _database = null!;

    public SignInPageTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();

        // Resolved when the page first asks, after InitializeAsync has made the database.
        Services.AddSingleton(_ => new SignInSessions(_database.Factory, TimeProvider.System));
        Services.AddSingleton(_ => new SignInService(
            _database.Factory, _hasher, Options.Create(new AccountOptions()), TimeProvider.System, NullLogger<SignInService>.Instance));
        Services.AddSingleton(new DeviceCookies(new EphemeralDataProtectionProvider(), Options.Create(new AccountOptions())));
    }

    public async Task InitializeAsync()
    {
        _database = await AccountsTestDatabase.CreateAsync();
        await _database.AddUserAsync("hamza", _hasher.HashPassword(null!, "123"));
    }

    [Fact]
    public void Render_ShowsLabelledFieldsAndASignInButton()
    {
        var cut = RenderPage(HttpMethods.Get);

        Assert.Equal("Username", cut.Find("label[for=username]").TextContent);
        Assert.Equal("Password", cut.Find("label[for=password]").TextContent);
        Assert.Equal("password", cut.Find("#password").GetAttribute("type"));
        Assert.Equal("post", cut.Find("form").GetAttribute("method"));
        Assert.Contains("Sign in", cut.Find("button[type=submit]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=signin-error]"));
    }

    [Fact]
    public async Task Submit_WrongPassword_ShowsTheGenericMessageAndKeepsTheName()
    {
        var cut = RenderPage(HttpMethods.Post);

        cut.Find("#username").Change("hamza");
        cut.Find("#password").Change("wrong");
        await cut.Find("form").SubmitAsync();

        Assert.Equal(SignInPage.InvalidCredentials, cut.Find("[data-testid=signin-error]").TextContent);
        Assert.Equal("hamza", cut.Find("#username").GetAttribute("value"));
        Assert.Equal("", cut.Find("#password").GetAttribute("value"));
    }

    [Fact]
    public async Task Submit_EmptyUserName_AsksForItWithoutSigningIn()
    {
        var cut = RenderPage(HttpMethods.Post);

        await cut.Find("form").SubmitAsync();

        Assert.Contains("Enter your username.", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=signin-error]"));
    }

    [Fact]
    public async Task Submit_RightPassword_SignsInWithACookieAndGoesToTheReturnUrl()
    {
        var http = new DefaultHttpContext { RequestServices = AuthenticationServices() };
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/signin?returnUrl=%2F%3Fsection%3Dpeople");
        var cut = RenderPage(HttpMethods.Post, http);

        cut.Find("#username").Change("HAMZA");
        cut.Find("#password").Change("123");
        await cut.Find("form").SubmitAsync();

        Assert.Empty(cut.FindAll("[data-testid=signin-error]"));
        Assert.Contains(http.Response.Headers.SetCookie, c => c!.StartsWith("BlazorChat.Auth=", StringComparison.Ordinal));
        Assert.Contains(http.Response.Headers.SetCookie, c => c!.StartsWith(DeviceCookies.CookieName + "=", StringComparison.Ordinal));
        Assert.EndsWith("/?section=people", navigation.Uri, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "/")]
    [InlineData("/", "/")]
    [InlineData("/?a=b", "/?a=b")]
    [InlineData("//evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("/signin", "/")]
    [InlineData("/\t/evil.example", "/")] // browsers drop the tab and read //evil.example
    [InlineData("/\n/evil.example", "/")]
    [InlineData("/a b", "/")]
    public void SafeReturnUrl_OnlyFollowsPathsOnThisSite(string? returnUrl, string expected)
    {
        Assert.Equal(expected, SignInPage.SafeReturnUrl(returnUrl));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _database.DisposeAsync();
    }

    private IRenderedComponent<SignInPage> RenderPage(string method, HttpContext? http = null)
    {
        http ??= new DefaultHttpContext();
        http.Request.Method = method;
        return Render<SignInPage>(p => p.AddCascadingValue(http));
    }

    private static ServiceProvider AuthenticationServices()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options => options.Cookie.Name = "BlazorChat.Auth");
        return services.BuildServiceProvider();
    }
}
