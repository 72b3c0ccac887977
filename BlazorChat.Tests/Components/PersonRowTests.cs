using BlazorChat.Chat;
using BlazorChat.Components.Users;

namespace BlazorChat.Tests.Components;

public sealed class PersonRowTests
{
    [Fact]
    public void For_EncodesTheNameInTheMarkupAndLabelsTheButtons()
    {
        var row = PersonRow.For("<b>o'neil</b>", PresenceStatus.InChat, wantsMe: true);

        Assert.Contains("&lt;b&gt;o&#x27;neil&lt;/b&gt;", row.Details.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", row.Details.Value, StringComparison.Ordinal);
        Assert.Contains("""<span class="user-status">in a chat</span>""", row.Details.Value, StringComparison.Ordinal);
        Assert.Contains("wants to chat with you", row.Details.Value, StringComparison.Ordinal);
        Assert.Equal("Chat with <b>o'neil</b>", row.ChatLabel);
    }

    [Fact]
    public void For_SameNameStatusAndRequest_IsTheSameSharedRow_AnotherStatusIsNot()
    {
        var online = PersonRow.For("rowtest-zara", PresenceStatus.Online, wantsMe: false);

        Assert.Same(online, PersonRow.For("rowtest-zara", PresenceStatus.Online, wantsMe: false));
        Assert.NotSame(online, PersonRow.For("rowtest-zara", PresenceStatus.Offline, wantsMe: false));
        Assert.DoesNotContain("wants to chat", online.Details.Value, StringComparison.Ordinal);
        Assert.Contains("""<span class="user-avatar" aria-hidden="true">R</span>""", online.Details.Value, StringComparison.Ordinal);
    }
}
