using BlazorChat.Accounts;
using BlazorChat.Chat;
using BlazorChat.Components.Chat;
using BlazorChat.Components.Users;
using BlazorChat.Tests.Chat;
using Bunit.TestDoubles;
using MudBlazor.Services;

namespace BlazorChat.Tests.Components;

/// <summary>
/// bUnit with MudBlazor, a real ChatRouter, and a signed-in user. MudBlazor's components need loose JS interop
/// and <c>AddMudServices()</c>; those reading <c>RendererInfo</c> need an interactive one; and under xUnit v2 the
/// context must be disposed asynchronously (hence <see cref="IAsyncLifetime"/>), or MudBlazor's services throw.
/// Menus, selects and tooltips render nothing without a <c>MudPopoverProvider</c> rendered beside them.
/// </summary>
public abstract class ComponentTestContext : BunitContext, IAsyncLifetime
{
    static ComponentTestContext()
    {
        // Router events reach a page through the thread pool; when the suite runs in parallel on two
        // cores that can take more than bUnit's default one second. Waits still end as soon as they pass.
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
    }

    protected ComponentTestContext(string signedInAs = "hamza")
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(Fixture.Accounts);
        Services.AddSingleton(Fixture.Router);
        Services.AddSingleton(_ => Fixture.Silo);
        Services.AddSingleton<TimeProvider>(Fixture.Time);
        Services.AddSingleton(new BlazorChat.Calls.IceServers(Microsoft.Extensions.Options.Options.Create(new BlazorChat.Calls.CallOptions()), Fixture.Time));
        Services.AddScoped<ChatCircuit>();

        // Blocking writes to a database: a test that blocks sets BlockDatabase to a migrated one before rendering.
        Services.AddSingleton(_ => new BlazorChat.Blocks.BlockService(BlockDatabase, Fixture.Accounts, Fixture.Router, Fixture.Silo, Fixture.Time));
        Services.AddSingleton<Microsoft.AspNetCore.Components.Forms.AntiforgeryStateProvider>(new FixedAntiforgeryState());
        Services.AddSingleton<Microsoft.AspNetCore.Http.IHttpContextAccessor>(new Microsoft.AspNetCore.Http.HttpContextAccessor());
        Authorization = AddAuthorization();
        Authorization.SetAuthorized(signedInAs);
        Authorization.SetClaims(new System.Security.Claims.Claim(AccountClaims.SessionId, $"{signedInAs}-session"));
        SetRendererInfo(new RendererInfo("Server", true));
    }

    protected RouterFixture Fixture { get; } = new();

    protected ChatRouter Router => Fixture.Router;

    /// <summary>Where blocks are written; an empty in-memory database (no tables) unless a test sets one.</summary>
    protected Microsoft.EntityFrameworkCore.IDbContextFactory<BlazorChat.Data.BlazorChatDbContext> BlockDatabase { get; set; } =
        new Microsoft.EntityFrameworkCore.Infrastructure.PooledDbContextFactory<BlazorChat.Data.BlazorChatDbContext>(
            Microsoft.EntityFrameworkCore.SqliteDbContextOptionsBuilderExtensions.UseSqlite(
                new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<BlazorChat.Data.BlazorChatDbContext>(), "Data Source=:memory:").Options);

    protected BunitAuthorizationContext Authorization { get; }

    /// <summary>Renders the chat page and waits until it has joined the chat through the lobby and read the people (or was refused).</summary>
    protected IRenderedComponent<ChatPage> RenderChatPage()
    {
        var cut = Render<ChatPage>();
        cut.WaitForState(() => cut.Instance.IsSettled);
        return cut;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

/// <summary>The people list's buttons, clicked as js/blazorchat.js reports them: the list's panel hears which button.</summary>
public static class PeopleListClicks
{
    /// <summary>Clicks the people list's button with this aria-label (a row's) or, failing that, this text.</summary>
    /// <remarks>A page reads the list from the lobby after it renders: this waits (bUnit's timeout) for the button to be drawn.</remarks>
    public static Task ClickPeopleButtonAsync<T>(this IRenderedComponent<T> cut, string label)
        where T : IComponent
    {
        AngleSharp.Dom.IElement? button = null;
        try
        {
            cut.WaitForState(() => (button = cut.FindAll(".users-panel button").FirstOrDefault(b => b.GetAttribute("aria-label") == label || b.TextContent == label)) is not null);
        }
        catch (Bunit.Extensions.WaitForHelpers.WaitForFailedException)
        {
            throw new InvalidOperationException($"No button '{label}' in the people list.");
        }

        return ClickAsync(button!, cut.Find(".users-panel"));
    }

    private static Task ClickAsync(AngleSharp.Dom.IElement button, AngleSharp.Dom.IElement list) =>
        list.TriggerEventAsync("onpeopleclick", new PeopleClickEventArgs
        {
            Person = button.GetAttribute("data-person"),
            Action = button.GetAttribute("data-action"),
        });
}

/// <summary>The message box as js/blazorchat.js drives it: Enter or the Send button raise one event carrying its text.</summary>
public static class MessageBoxSends
{
    /// <summary>Sends <paramref name="text"/> from the message box, as pressing Enter with it typed there does.</summary>
    public static Task SendFromBoxAsync<T>(this IRenderedComponent<T> cut, string text)
        where T : IComponent =>
        cut.Find("#message-input").TriggerEventAsync(ChatCompose.SendEvent, new ChatSendEventArgs { Text = text });
}
