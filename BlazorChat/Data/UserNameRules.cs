using System.Text.RegularExpressions;

namespace BlazorChat.Data;

/// <summary>What a username may be: 1–32 letters, digits, '.', '_' or '-'.</summary>
public static partial class UserNameRules
{
    public const int MaxLength = 32;

    public const string Description = "1 to 32 letters, digits, '.', '_' or '-'";

    public static bool IsValid(string? userName) => userName is not null && Pattern().IsMatch(userName);

    // \z, not $: in .NET $ also matches before a final line break, which would let "name\n" through.
    [GeneratedRegex(@"^[\p{L}\p{Nd}._-]{1,32}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
