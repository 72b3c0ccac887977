using BlazorChat.Accounts;
using BlazorChat.Hosting;

if (AccountsCommand.IsInvoked(args))
{
    // `dotnet BlazorChat.dll accounts …`: the operator's account commands, on the app's own settings and database.
    return await AccountsCommand.RunAsync(args, CommandConsole.System);
}

var builder = WebApplication.CreateBuilder(AppContentRoot.Options(args));
builder.AddBlazorChat();

var app = builder.Build();
app.UseBlazorChat();

try
{
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is SeedFileException or UserNameConflictException)
{
    // A bad seed file or clashing account names stop start-up; say what is wrong without a stack trace.
    await Console.Error.WriteLineAsync(ex.Message);
    return 1;
}

public partial class Program;
