namespace BlazorChat.Cluster;

internal static partial class ClusterLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "The lobby did not hear that a tab of {UserName} closed")]
    public static partial void LeaveFailed(ILogger logger, Exception exception, string userName);
}
