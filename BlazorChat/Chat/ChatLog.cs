namespace BlazorChat.Chat;

internal static partial class ChatLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Delivering {EventType} to {UserName} failed")]
    public static partial void DeliveryFailed(ILogger logger, Exception exception, string eventType, string userName);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "{UserA} and {UserB} are now chatting (conversation {ConversationId})")]
    public static partial void Paired(ILogger logger, string userA, string userB, long conversationId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Conversation {ConversationId} ended by {UserName}: {Reason}")]
    public static partial void Ended(ILogger logger, long conversationId, string userName, ChatEndReason reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "{UserName} left the chat service")]
    public static partial void Departed(ILogger logger, string userName);
}
