using System.Text;

namespace BlazorChat.Data;

/// <summary>
/// The one rule for when two user names are the same account, used wherever names are compared or looked up
/// (sign-in, the seed file's duplicates, the database's unique NormalizedUserName, the account directory, the
/// chat). A name is compared in its <see cref="Normalize"/>d form: Unicode NFKC, then upper case (invariant).
/// NFKC folds the compatibility forms a reader takes for the plain letter (ſ long s → s, K Kelvin sign → K,
/// fullwidth ｈａｍｚａ → hamza, the ligature ﬁ → fi) and composes a decomposed accent (e + U+0301 → é, NFD → NFC),
/// so whatever a keyboard produces finds the account; upper-casing ignores case. Not folded: letters of other
/// scripts that merely look alike (Cyrillic а and Latin a stay different names), Turkish dotless ı (not i), and
/// ß (not ss).
/// </summary>
public static class UserNames
{
    /// <summary>Equality by <see cref="Normalize"/>; plain ASCII names take a fast path that gives the same answers.</summary>
    public static IEqualityComparer<string> Comparer { get; } = new NameComparer();

    public static string Normalize(string userName)
    {
        ArgumentNullException.ThrowIfNull(userName);
        if (Ascii.IsValid(userName))
        {
            return userName.ToUpperInvariant();
        }

        try
        {
            return userName.Normalize(NormalizationForm.FormKC).ToUpperInvariant();
        }
        catch (ArgumentException)
        {
            // Not valid UTF-16 (a lone surrogate): no account has such a name, so it need only not throw.
            return userName.ToUpperInvariant();
        }
    }

    public static bool Equals(string? x, string? y) => Comparer.Equals(x, y);

    private sealed class NameComparer : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y) =>
            ReferenceEquals(x, y)
            || (x is not null && y is not null
                && (Ascii.IsValid(x) && Ascii.IsValid(y)
                    ? string.Equals(x, y, StringComparison.OrdinalIgnoreCase)
                    : string.Equals(Normalize(x), Normalize(y), StringComparison.Ordinal)));

        // For ASCII, Normalize only upper-cases, which a case-blind hash ignores: both paths hash alike.
        public int GetHashCode(string name) =>
            string.GetHashCode(Ascii.IsValid(name) ? name : Normalize(name), StringComparison.OrdinalIgnoreCase);
    }
}
