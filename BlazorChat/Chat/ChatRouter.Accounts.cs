namespace BlazorChat.Chat;

/// <summary>Sign-ins ended elsewhere (another process: the accounts command, a password change) closing their tabs here.</summary>
public sealed partial class ChatRouter
{
    /// <summary>
    /// Closes the tabs of one sign-in as <see cref="SignOut"/> does, but only if it has a tab here: a sign-in already
    /// signed out by this process (or that never chatted) leaves the user as they are, grace periods included.
    /// Returns whether any tab was closed.
    /// </summary>
    public bool SignOutSessionIfOpen(string userName, string sessionId)
    {
        lock (_lock)
        {
            if (!_users.TryGetValue(userName, out var user)
                || !user.Connections.Exists(c => string.Equals(c.SessionId, sessionId, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        SignOut(userName, sessionId);
        return true;
    }
}
