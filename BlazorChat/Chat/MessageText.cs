using System.Globalization;
using System.Text;

namespace BlazorChat.Chat;

/// <summary>
/// The rules for a message's text: what it is cleaned of, when it is the end command, when it shows nothing, and how
/// long it is. Plain functions of the text, used by the router before it takes its lock.
/// </summary>
internal static class MessageText
{
    /// <summary>
    /// Code points one character may hold and still count as one: more than the longest emoji sequence (a kiss with
    /// two skin tones has ten). Each code point past these counts as another character, so text padded with thousands
    /// of invisible marks (tag characters, joiners, combining marks) counts what it weighs.
    /// </summary>
    public const int CodePointsPerCharacter = 10;

    /// <summary>Most UTF-16 units a message of <paramref name="maxLength"/> characters may hold: four per character.</summary>
    public static int MaxUnits(int maxLength) => maxLength * 4;

    /// <summary>What a message's text weighs in memory: two bytes per UTF-16 unit.</summary>
    public static long SizeOf(string text) => text.Length * 2L;
    /// <summary>True when the text is the end command, ignoring white space and case.</summary>
    public static bool IsEndCommand(string text)
    {
        if (!text.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        Span<char> letters = stackalloc char[ChatRouter.EndCommand.Length];
        var count = 0;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            if (count == letters.Length)
            {
                return false;
            }

            letters[count++] = c;
        }

        return count == letters.Length && letters.Equals(ChatRouter.EndCommand, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// True when the text has nothing a reader would see: only white space, format characters (zero-width spaces and
    /// joiners, byte order marks, direction marks) and control characters. Such a message would be an empty bubble.
    /// </summary>
    public static bool ShowsNothing(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsWhiteSpace(rune)
                && (Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Format or UnicodeCategory.Control) || IsDrawnFormat(rune)))
            {
                return false;
            }
        }

        return true;

        // The format characters that are drawn: Unicode's Prepended_Concatenation_Mark (Arabic number signs, the end
        // of an ayah, Syriac and Kaithi marks).
        static bool IsDrawnFormat(Rune rune) =>
            rune.Value is (>= 0x0600 and <= 0x0605) or 0x06DD or 0x070F or 0x0890 or 0x0891 or 0x08E2 or 0x110BD or 0x110CD;
    }

    /// <summary>Removes C0 control characters other than tab and newline; CR LF becomes LF.</summary>
    public static string Sanitize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        if (!text.AsSpan().ContainsAnyInRange('\0', '\u001f'))
        {
            return text;
        }

        return string.Create(text.Length - CountRemoved(text), text, static (span, source) =>
        {
            var i = 0;
            foreach (var c in source)
            {
                if (!IsRemovedControl(c))
                {
                    span[i++] = c;
                }
            }
        });

        static int CountRemoved(string s)
        {
            var removed = 0;
            foreach (var c in s)
            {
                if (IsRemovedControl(c))
                {
                    removed++;
                }
            }

            return removed;
        }

        static bool IsRemovedControl(char c) => c < '\u0020' && c != '\n' && c != '\t';
    }

    /// <summary>
    /// True when the text is longer than <paramref name="max"/> characters. A character is what a reader counts (a
    /// text element: an emoji with its skin tone and joiners is one), but one made of more than
    /// <see cref="CodePointsPerCharacter"/> code points counts once more for each code point past them.
    /// </summary>
    public static bool IsLongerThan(string text, int max)
    {
        // Every character holds at least one UTF-16 unit, so a string this short needs no counting.
        if (text.Length <= max)
        {
            return false;
        }

        var span = text.AsSpan();
        long count = 0;
        while (!span.IsEmpty)
        {
            var length = StringInfo.GetNextTextElementLength(span);
            var element = span[..length];
            count++;
            if (length > CodePointsPerCharacter)
            {
                var codePoints = length;
                foreach (var c in element)
                {
                    codePoints -= char.IsLowSurrogate(c) ? 1 : 0;
                }

                count += Math.Max(0, codePoints - CodePointsPerCharacter);
            }

            if (count > max)
            {
                return true;
            }

            span = span[length..];
        }

        return false;
    }
}
