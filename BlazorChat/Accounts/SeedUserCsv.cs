using System.Text;
using BlazorChat.Data;

namespace BlazorChat.Accounts;

public sealed record SeedUser(int Line, string UserName, string Password);

/// <summary>A seed file that cannot be imported; the message names every bad line.</summary>
public sealed class SeedFileException(string message) : Exception(message);

/// <summary>
/// Reads the seed file: RFC 4180 CSV with the header <c>username,password</c>. Quoted fields may hold commas,
/// quotes ("") and line breaks; a UTF-8 BOM, CRLF or LF line ends and blank lines are accepted. Nothing is
/// trimmed: a password is exactly what stands between the commas or quotes. The whole file is checked
/// before anything is imported, and every problem is reported with its line number.
/// </summary>
public static class SeedUserCsv
{
    public const string Header = "username,password";
    public const int MaxPasswordLength = 1024;
    private const int MaxReportedErrors = 20;

    public static IReadOnlyList<SeedUser> Parse(string content, string source)
    {
        ArgumentNullException.ThrowIfNull(content);
        List<string> errors = [];
        List<SeedUser> users = [];
        Dictionary<string, int> firstLineByName = new(UserNames.Comparer);
        var headerSeen = false;

        foreach (var record in ReadRecords(content.TrimStart('\uFEFF'), errors))
        {
            if (record.IsBlank)
            {
                continue;
            }

            if (!headerSeen)
            {
                headerSeen = true;
                if (record.Fields.Count != 2
                    || !string.Equals(record.Fields[0].Trim(), "username", StringComparison.OrdinalIgnoreCase)
                    || !string.Equals(record.Fields[1].Trim(), "password", StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add($"line {record.Line}: the first line must be the header '{Header}'");
                }

                continue;
            }

            if (record.Fields.Count != 2)
            {
                errors.Add($"line {record.Line}: expected 2 fields (username,password) but found {record.Fields.Count}");
                continue;
            }

            var (userName, password) = (record.Fields[0], record.Fields[1]);
            if (!UserNameRules.IsValid(userName))
            {
                errors.Add($"line {record.Line}: username '{Printable(userName)}' is not allowed: use {UserNameRules.Description}");
            }
            else if (firstLineByName.TryGetValue(userName, out var firstLine))
            {
                errors.Add($"line {record.Line}: username '{userName}' repeats line {firstLine} (names are compared ignoring case and width: ſ is s, ｚ is z)");
            }
            else
            {
                firstLineByName.Add(userName, record.Line);
            }

            if (password.Length == 0)
            {
                errors.Add($"line {record.Line}: the password is empty");
            }
            else if (password.Length > MaxPasswordLength)
            {
                errors.Add($"line {record.Line}: the password is longer than {MaxPasswordLength} characters");
            }

            users.Add(new SeedUser(record.Line, userName, password));
        }

        if (!headerSeen)
        {
            errors.Add($"line 1: the file is empty; it must start with the header '{Header}'");
        }

        if (errors.Count > 0)
        {
            var shown = errors.Take(MaxReportedErrors).Select(e => $"  {source} {e}");
            var more = errors.Count > MaxReportedErrors ? $"{Environment.NewLine}  … and {errors.Count - MaxReportedErrors} more" : "";
            throw new SeedFileException(
                $"The seed file {source} has {errors.Count} problem(s); no account was imported:{Environment.NewLine}"
                + string.Join(Environment.NewLine, shown) + more);
        }

        return users;
    }

    private static string Printable(string value)
    {
        var shown = value.Length > 40 ? value[..40] + "…" : value;
        StringBuilder builder = new(shown.Length);
        foreach (var c in shown)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return builder.ToString();
    }

    private static IEnumerable<Record> ReadRecords(string content, List<string> errors)
    {
        var line = 1;
        var i = 0;
        while (i < content.Length)
        {
            var recordLine = line;
            List<string> fields = [];
            StringBuilder field = new();
            var fieldWasQuoted = false;
            var recordDone = false;
            var bad = false;

            while (i < content.Length && !recordDone)
            {
                var c = content[i];
                if (c == '"' && field.Length == 0 && !fieldWasQuoted)
                {
                    fieldWasQuoted = true;
                    var start = line;
                    i++;
                    var closed = false;
                    while (i < content.Length)
                    {
                        var q = content[i];
                        if (q == '"')
                        {
                            if (i + 1 < content.Length && content[i + 1] == '"')
                            {
                                field.Append('"');
                                i += 2;
                                continue;
                            }

                            i++;
                            closed = true;
                            break;
                        }

                        if (q == '\n' || (q == '\r' && (i + 1 >= content.Length || content[i + 1] != '\n')))
                        {
                            line++;
                        }

                        field.Append(q);
                        i++;
                    }

                    if (!closed)
                    {
                        errors.Add($"line {start}: a quoted field is never closed");
                        yield break;
                    }

                    if (i < content.Length && content[i] is not (',' or '\r' or '\n'))
                    {
                        errors.Add($"line {line}: unexpected text after a closing quote");
                        bad = true;
                    }

                    continue;
                }

                switch (c)
                {
                    case ',':
                        fields.Add(field.ToString());
                        field.Clear();
                        fieldWasQuoted = false;
                        i++;
                        break;
                    case '\r' or '\n':
                        i += c == '\r' && i + 1 < content.Length && content[i + 1] == '\n' ? 2 : 1;
                        line++;
                        recordDone = true;
                        break;
                    case '"':
                        if (!bad)
                        {
                            errors.Add($"line {line}: a quote inside an unquoted field (quote the whole field and double the quote)");
                        }

                        bad = true;
                        field.Append(c);
                        i++;
                        break;
                    default:
                        field.Append(c);
                        i++;
                        break;
                }
            }

            fields.Add(field.ToString());
            var blank = fields.Count == 1 && !fieldWasQuoted && string.IsNullOrWhiteSpace(fields[0]);
            if (!bad)
            {
                yield return new Record(recordLine, fields, blank);
            }
        }
    }

    private sealed record Record(int Line, List<string> Fields, bool IsBlank);
}
