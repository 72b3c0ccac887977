namespace BlazorChat.Components.Chat;

/// <summary>
/// The message box's send (Enter or its Send button), raised by js/blazorchat.js with the box's text. The text is
/// whatever the browser says; the router checks it as it checks every message.
/// </summary>
public sealed class ChatSendEventArgs : EventArgs
{
    public string? Text { get; set; }
}
