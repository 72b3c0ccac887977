using BlazorChat.Accounts;
using BlazorChat.Benchmarking;
using BlazorChat.Calls;
using BlazorChat.Chat;
using BlazorChat.Cluster;
using BlazorChat.Components;
using BlazorChat.Components.Chat;
using BlazorChat.Data;
using BlazorChat.Files;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;

namespace BlazorChat.Hosting;

public static class BlazorChatExtensions
{
    public const string ConnectionStringName = "BlazorChat";
    public const string DefaultConnectionString = "Data Source=App_Data/blazorchat.db";

    /// <summary>How long the server waits without hearing from a browser before it counts the connection as dropped.</summary>
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Registers everything the app needs. The one call Program.cs makes on the builder.</summary>
    public static WebApplicationBuilder AddBlazorChat(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        // The message box holds up to 4 UTF-16 units per allowed character (16,000 by default): at most
        // 48 KB of UTF-8 per input event, under this limit, so no legal message can drop the connection.
        services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(options =>
            {
                options.MaximumReceiveMessageSize = 64 * 1024;
                options.AddFilter<TabEventBudget>();

                // Notice a vanished browser in 10 s rather than SignalR's 30 s. The browser pings every 5 s
                // (js/blazorchat.js starts Blazor with the matching keep-alive), so a live tab never trips this.
                options.ClientTimeoutInterval = ClientTimeout;
                options.KeepAliveInterval = TimeSpan.FromSeconds(5);
            });

        // Blazor keeps a disconnected circuit for 3 minutes by default; keep it at least as long as the chat
        // waits for a dropped person, so that someone who comes back in time finds their tab still alive.
        services.AddOptions<CircuitOptions>().Configure<IOptions<ChatOptions>>((circuit, chat) =>
        {
            var wanted = chat.Value.ReconnectGrace + TimeSpan.FromSeconds(30);
            if (circuit.DisconnectedCircuitRetentionPeriod < wanted)
            {
                circuit.DisconnectedCircuitRetentionPeriod = wanted;
            }
        });
        services.AddMudServices(config =>
        {
            config.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.TopCenter;
            config.SnackbarConfiguration.PreventDuplicates = false;
            config.SnackbarConfiguration.VisibleStateDuration = 5000;
            config.SnackbarConfiguration.ShowCloseIcon = true;
        });

        // Accounts: cookie sign-in, the database through a context factory (never a DbContext in a singleton).
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = "/signin";
                options.AccessDeniedPath = "/signin";
                options.ReturnUrlParameter = "returnUrl";
                options.Cookie.Name = "BlazorChat.Auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                options.SlidingExpiration = true;
                options.EventsType = typeof(SessionCookieEvents);
            });
        services.AddScoped<SessionCookieEvents>();

        // The antiforgery cookie is never Secure by default: over https (direct or behind the proxy) it should be.
        services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddSingleton<SignInSessions>();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidatingStateProvider>();
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();

        // SQLite by default; PostgreSQL (Database:Provider) when several instances share the accounts. Read when first
        // needed, so configuration layered on late (tests, hosts) is honoured.
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>>(sp => new DatabaseOptionsValidator(sp.GetRequiredService<IConfiguration>()));
        services.AddDbContextFactory<BlazorChatDbContext, BlazorChatDbContextFactory>((sp, options) =>
        {
            var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName);
            if (sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.Postgres)
            {
                options.UseNpgsql(connectionString);
            }
            else
            {
                options.UseSqlite(ResolveConnectionString(
                    connectionString ?? DefaultConnectionString, sp.GetRequiredService<IHostEnvironment>().ContentRootPath));
            }
        });

        // Keys are rows of the accounts database, so a restart keeps people signed in and a cookie (or antiforgery
        // token) made by one instance is valid on every other. Key files of older versions are imported once.
        services.AddDataProtection().SetApplicationName("BlazorChat").PersistKeysToDbContext<BlazorChatDbContext>();
        services.AddSingleton<CookieKeys>();

        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AccountOptions>>(new SettingNames<AccountOptions>(AccountOptions.SectionName, new AccountOptionsValidator()));
        services.AddOptions<SeedOptions>().BindConfiguration(SeedOptions.SectionName).ValidateOnStart();
        services.AddOptions<PasswordHasherOptions>().Configure<IOptions<AccountOptions>>((hasher, accounts) =>
        {
            hasher.CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3;
            hasher.IterationCount = accounts.Value.PasswordHashIterations;
        });
        services.AddSingleton<PasswordHasher<UserAccount>>();
        services.AddSingleton<AccountDirectory>();
        services.AddSingleton<SignInService>();
        services.AddSingleton<DeviceCookies>();
        services.AddSignInRateLimiting();
        services.AddSingleton<UserSeeder>();
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<AccountAdministration>();
        services.AddHostedService<AccountsInitializer>();
        services.AddSingleton<ReadReceiptSettings>();
        services.AddHostedService(sp => sp.GetRequiredService<ReadReceiptSettings>());
        services.AddHostedService<AccountChangeWatcher>();
        services.AddSingleton<DemoPasswordWarning>();
        services.AddHostedService(sp => sp.GetRequiredService<DemoPasswordWarning>());

        // On SIGTERM, browsers whose circuits close try to reconnect at once; Kestrel would wait up to 30 s
        // for those connections. Chats live in memory and end with the process anyway, so stop sooner.
        services.AddOptions<HostingOptions>().BindConfiguration(HostingOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HostingOptions>>(new SettingNames<HostingOptions>(HostingOptions.SectionName, new HostingOptionsValidator()));
        services.AddOptions<HostOptions>().Configure<IOptions<HostingOptions>>((host, hosting) =>
            host.ShutdownTimeout = hosting.Value.ShutdownTimeout);
        services.AddProxyHeaders();

        // Several instances: Cluster:* (Redis, the silo's ports), checked at start; /readyz also checks Redis when set.
        services.AddClusterSettings();
        services.AddHealthEndpoints();
        services.AddMetricsEndpoint();

        // Chat: the router is the one stateful singleton; each circuit gets its own ChatCircuit.
        services.AddOptions<ChatOptions>().BindConfiguration(ChatOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ChatOptions>>(new SettingNames<ChatOptions>(ChatOptions.SectionName, new ChatOptionsValidator()));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ChatMetrics>();
        services.AddSingleton<TabEventBudget>();
        services.AddSingleton<ChatRouter>();
        services.AddScoped<ChatCircuit>();

        // The router runs in an Orleans silo inside this process; with Cluster:Redis, silos of other instances join it.
        builder.AddChatCluster();

        // Blocks: kept in the database, loaded into the router after the accounts (hosted services start in order).
        services.AddSingleton<Blocks.BlockService>();
        services.AddHostedService<Blocks.BlocksInitializer>();

        // Files: sent over HTTP (not the circuit), kept encrypted under Files:Path for the chat's life.
        services.AddFiles();

        // Calls: their state lives in the router; the ICE servers (and per-call TURN credentials) are made here.
        services.AddOptions<CallOptions>().BindConfiguration(CallOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CallOptions>, CallOptionsValidator>();
        services.AddSingleton<IceServers>();

        // ChatCircuit reads the connection's request while Blazor starts or reconnects its circuit (the client's address
        // for the per-address tab limit, the cookie's user for a reconnect), and only then.
        services.AddHttpContextAccessor();
        services.AddScoped<CircuitHandler>(sp => sp.GetRequiredService<ChatCircuit>());

        // Off by default: /_diagnostics and the baseline hub exist only when Benchmarking:Enabled is true.
        services.AddBenchmarking();

        return builder;
    }

    /// <summary>The request pipeline. The one call Program.cs makes on the app.</summary>
    public static WebApplication UseBlazorChat(this WebApplication app)
    {
        // Before anything reads the scheme or the client's address: redirects, cookies, the origin check, the limits.
        app.UseForwardedHeaders();

        // Before the relative redirects, which would cut its http → https Location to a path on http.
        if (ServesHttps(app.Configuration))
        {
            app.UseHttpsRedirection();
        }

        // Then, so that it also sees the redirects of the error and status pages.
        app.UseRelativeRedirects();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.UseSecurityHeaders();
        app.UseMetricsEndpoint();
        app.UseBenchmarkingGuard();
        app.UseSameOriginCircuits(app.Configuration);
        app.UseRateLimiter();
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAccountEndpoints();
        app.MapFileEndpoints();
        app.MapHealthEndpoints();
        app.MapBenchmarking();
        return app;
    }

    /// <summary>
    /// Whether Kestrel itself listens for TLS (an https URL in <c>urls</c>/ASPNETCORE_URLS or a Kestrel endpoint),
    /// so that plain http requests are sent there. Behind a TLS proxy the app listens on http only and nginx redirects.
    /// </summary>
    internal static bool ServesHttps(IConfiguration configuration)
    {
        var urls = (configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? "")
            .Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"] ?? "");
        return urls.Concat(endpoints).Any(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A relative SQLite file resolves against the content root, not the working directory.</summary>
    internal static string ResolveConnectionString(string connectionString, string contentRoot)
    {
        var sqlite = new SqliteConnectionStringBuilder(connectionString);
        var inMemory = sqlite.Mode == SqliteOpenMode.Memory
            || string.Equals(sqlite.DataSource, ":memory:", StringComparison.Ordinal)
            || string.IsNullOrEmpty(sqlite.DataSource);
        if (!inMemory)
        {
            sqlite.DataSource = Path.GetFullPath(Path.Combine(contentRoot, sqlite.DataSource));
            Directory.CreateDirectory(Path.GetDirectoryName(sqlite.DataSource)!);
        }

        return sqlite.ToString();
    }
}
