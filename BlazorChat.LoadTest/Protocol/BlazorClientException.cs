namespace BlazorChat.LoadTest.Protocol;

/// <summary>
/// Something a real browser would not have let pass: a refused sign-in, an unknown JS interop call, a hub
/// message that does not bind, a render batch that cannot be applied, a wait that timed out.
/// </summary>
public sealed class BlazorClientException : Exception
{
    public BlazorClientException(string message)
        : base(message)
    {
    }

    public BlazorClientException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
