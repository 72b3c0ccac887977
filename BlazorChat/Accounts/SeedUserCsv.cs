using System.Text;
using BlazorChat.Data;
using CsvHelper;

namespace BlazorChat.Accounts;

public sealed record SeedUser(int Line, string UserName, string Password);

/// <summary>A seed file that cannot be imported; the message names every bad line.</summary>
public sealed class SeedFileException(string message) : Exception(message);

/// <summary>
/// Reads the seed file: RFC 4180 CSV (read by CsvHelper) with the header <c>username,password</c>. Quoted fields
/// may hold commas, quotes ("") and line breaks; a UTF-8 BOM, CRLF, LF or CR line ends and blank lines are
/// accepted. Nothing is trimmed: a password is exactly what stands between the commas or quotes. The whole file
/// is checked before anything is imported, and every problem is reported with its line number.
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

        foreach (var record in ReadRecords(content, errors))
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

    /// <summary>
    /// CsvHelper reads the RFC 4180 records and counts their lines; a record with bad quoting is skipped and
    /// reported. A line of only spaces or tabs comes back as a record, marked blank here.
    /// </summary>
    private static IEnumerable<Record> ReadRecords(string content, List<string> errors)
    {
        var options = new CsvReaderOptions
        {
            // Set, or CsvHelper would guess the separator and accept a file separated by ';' or tabs.
            Separator = ',',
            HasHeader = false,
            TrimWhitespace = false,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Skip,
            OnMalformedRecord = record => errors.Add($"line {record.LineNumber}: {Describe(record.Reason)}"),
        };
        using var reader = CsvReader.FromText(content, options);
        while (reader.Read())
        {
            var fields = Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToList();
            var blank = fields.Count == 1 && string.IsNullOrWhiteSpace(reader.Current.ToString());
            yield return new Record(checked((int)reader.LineNumber), fields, blank);
        }
    }

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "a quote inside an unquoted field (quote the whole field and double the quote)",
        CsvMalformedReason.TextAfterClosingQuote => "unexpected text after a closing quote",
        CsvMalformedReason.UnterminatedQuote => "a quoted field is never closed",
        _ => $"malformed CSV ({reason})",
    };

    private sealed record Record(int Line, List<string> Fields, bool IsBlank);
}
