using System.Globalization;
using System.Text;
using BlazorChat.Data;
using BlazorChat.Hosting;

namespace BlazorChat.Accounts;

/// <summary>How the command talks to the operator: the console, or a test's own streams.</summary>
public sealed record CommandConsole(TextReader In, TextWriter Out, TextWriter Error, bool InputRedirected, Func<string?>? ReadSecret = null)
{
    public static CommandConsole System { get; } = new(Console.In, Console.Out, Console.Error, Console.IsInputRedirected, ReadHiddenLine);

    /// <summary>A line typed at the terminal, not echoed.</summary>
    private static string? ReadHiddenLine()
    {
        StringBuilder line = new();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.WriteLine();
                return line.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (line.Length > 0)
                {
                    line.Length--;
                }
            }
            else if (key.KeyChar != '\0')
            {
                line.Append(key.KeyChar);
            }
        }
    }
}

/// <summary>
/// <c>dotnet BlazorChat.dll accounts VERB …</c>: the operator's account commands, run by the app's own binary with its
/// own configuration (appsettings, environment, <c>--Setting value</c>), password hasher and database. Exit code 0
/// when done, 1 when the request was refused (the message says why, nothing changed), 2 for a usage mistake.
/// </summary>
public static class AccountsCommand
{
    public const string Verb = "accounts";

    public const string Usage = """
        Usage: dotnet BlazorChat.dll accounts COMMAND [--Setting value ...]
          add NAME        add an account; asks for its password twice (or reads one line from standard input)
          passwd NAME     set a new password; signs the account out everywhere
          disable NAME    refuse its sign-ins and sign it out everywhere at once
          enable NAME     let it sign in again
          list            names, disabled, last sign-in
          import FILE     add every account of a CSV in the seed file's format (username,password), or none
        Settings are the app's own (appsettings.json, environment, or --ConnectionStrings:BlazorChat "Data Source=...").
        """;

    public static bool IsInvoked(string[] args) => args.Length > 0 && string.Equals(args[0], Verb, StringComparison.Ordinal);

    /// <summary>Runs one command. <paramref name="args"/> starts with "accounts"; settings (--Key value) may follow the command.</summary>
    public static async Task<int> RunAsync(string[] args, CommandConsole console, CancellationToken cancellationToken = default)
    {
        // Positional words first; from the first --setting on, everything is configuration for the app's builder.
        var firstSetting = Array.FindIndex(args, a => a.StartsWith("--", StringComparison.Ordinal));
        var words = firstSetting < 0 ? args[1..] : args[1..firstSetting];
        var settings = firstSetting < 0 ? [] : args[firstSetting..];
        if (words.Length == 0 || words[0] is "help" or "-h")
        {
            await console.Out.WriteLineAsync(Usage);
            return words.Length == 0 ? 2 : 0;
        }

        var (command, operands) = (words[0], words[1..]);
        var expected = command switch
        {
            "add" or "passwd" or "disable" or "enable" or "import" => 1,
            "list" => 0,
            _ => -1,
        };
        if (expected < 0 || operands.Length != expected)
        {
            await console.Error.WriteLineAsync(expected < 0
                ? $"Unknown command 'accounts {command}'."
                : $"'accounts {command}' takes {(expected == 0 ? "no operand" : "one operand")}, not {operands.Length}.");
            await console.Error.WriteLineAsync(Usage);
            return 2;
        }

        await using var app = BuildApp(settings);
        try
        {
            var accounts = app.Services.GetRequiredService<AccountAdministration>();
            // The same migrations (and start-up lock) the app applies, so the command works before the app's first start.
            await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            var name = operands.Length > 0 ? operands[0] : "";
            switch (command)
            {
                case "add":
                    {
                        var password = await ReadNewPasswordAsync(console, name);
                        var added = await accounts.AddAsync(name, password, cancellationToken);
                        await console.Out.WriteLineAsync($"Added the account '{added}'.");
                        break;
                    }

                case "passwd":
                    {
                        // Name checked first, so a typo is not found out only after typing the password twice.
                        var stored = (await accounts.ListAsync(cancellationToken)).FirstOrDefault(a => UserNames.Equals(a.UserName, name))
                            ?? throw new AccountCommandException($"There is no account '{name}'.");
                        var password = await ReadNewPasswordAsync(console, stored.UserName);
                        var changed = await accounts.SetPasswordAsync(name, password, cancellationToken);
                        await console.Out.WriteLineAsync($"Changed the password of '{changed}' and signed it out everywhere.");
                        break;
                    }

                case "disable":
                    {
                        var (disabled, ended) = await accounts.DisableAsync(name, cancellationToken);
                        await console.Out.WriteLineAsync($"Disabled '{disabled}' and ended its {ended} open session(s); its tabs close within seconds.");
                        break;
                    }

                case "enable":
                    await console.Out.WriteLineAsync($"Enabled '{await accounts.EnableAsync(name, cancellationToken)}'.");
                    break;

                case "list":
                    await WriteListAsync(console.Out, await accounts.ListAsync(cancellationToken));
                    break;

                case "import":
                    {
                        var imported = await accounts.ImportAsync(name, cancellationToken);
                        await console.Out.WriteLineAsync($"Imported {imported.Count} account(s): {string.Join(", ", imported)}.");
                        break;
                    }
            }

            return 0;
        }
        catch (AccountCommandException ex)
        {
            await console.Error.WriteLineAsync(ex.Message);
            return 1;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or UnauthorizedAccessException)
        {
            // Most often the database cannot be opened or written by this user: run the command as the service's user.
            await console.Error.WriteLineAsync($"The database could not be used ({ex.Message}); nothing was changed. Run the command as the app's user, with its settings.");
            return 1;
        }
    }

    private static WebApplication BuildApp(string[] settings)
    {
        var builder = WebApplication.CreateBuilder(AppContentRoot.Options(settings));
        builder.Logging.ClearProviders();
        builder.AddBlazorChat();
        return builder.Build();
    }

    private static async Task<string> ReadNewPasswordAsync(CommandConsole console, string userName)
    {
        string password;
        if (console.InputRedirected || console.ReadSecret is null)
        {
            // One line: a script pipes the password in (printf '%s\n' "$PW" | dotnet BlazorChat.dll accounts add NAME).
            password = await console.In.ReadLineAsync() ?? throw new AccountCommandException("No password on standard input.");
        }
        else
        {
            await console.Out.WriteAsync($"New password for {userName}: ");
            password = console.ReadSecret() ?? "";
            await console.Out.WriteAsync("Again: ");
            if (!string.Equals(password, console.ReadSecret(), StringComparison.Ordinal))
            {
                throw new AccountCommandException("The two passwords differ; nothing was changed.");
            }
        }

        return AccountAdministration.PasswordProblem(password) is { } problem
            ? throw new AccountCommandException(problem + " Nothing was changed.")
            : password;
    }

    private static async Task WriteListAsync(TextWriter output, IReadOnlyList<AccountSummary> accounts)
    {
        var width = Math.Max("username".Length, accounts.Count == 0 ? 0 : accounts.Max(a => a.UserName.Length));
        await output.WriteLineAsync($"{"username".PadRight(width)}  {"status",-8}  last sign-in (UTC)");
        foreach (var account in accounts)
        {
            var last = account.LastSignIn?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "never";
            await output.WriteLineAsync($"{account.UserName.PadRight(width)}  {(account.Disabled ? "disabled" : "enabled"),-8}  {last}");
        }

        await output.WriteLineAsync($"{accounts.Count} account(s), {accounts.Count(a => a.Disabled)} disabled.");
    }
}
