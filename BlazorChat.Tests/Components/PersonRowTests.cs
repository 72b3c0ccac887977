using BlazorChat.Chat;
using BlazorChat.Components.Users;

namespace BlazorChat.Tests.Components;

public sealed class PersonRowTests
{
    [Fact]
    public void For_EncodesTheNameEverywhereInTheMarkup()
    {
        var row = PersonRow.For("<b>o'neil\"</b>", PresenceStatus.InChat, wantsMe: true, picked: false).Markup.Value;

        Assert.DoesNotContain("<b>", row, StringComparison.Ordinal);
        Assert.DoesNotContain("o'neil", row, StringComparison.Ordinal);
        Assert.Contains("""data-user="&lt;b&gt;o&#x27;neil&quot;&lt;/b&gt;" """.TrimEnd(), row, StringComparison.Ordinal);
        Assert.Contains("""aria-label="Chat with &lt;b&gt;o&#x27;neil&quot;&lt;/b&gt;" """.TrimEnd(), row, StringComparison.Ordinal);
        Assert.Contains("""data-person="&lt;b&gt;o&#x27;neil&quot;&lt;/b&gt;" """.TrimEnd(), row, StringComparison.Ordinal);
        Assert.Contains("""<span class="user-status">in a chat</span>""", row, StringComparison.Ordinal);
        Assert.Contains("wants to chat with you", row, StringComparison.Ordinal);
        Assert.Contains("mud-button-filled-primary", row, StringComparison.Ordinal); // answering a request stands out
    }

    [Fact]
    public void For_SomeoneIPicked_OffersWithdrawNotChat()
    {
        var row = PersonRow.For("rowtest-karam", PresenceStatus.Waiting, wantsMe: false, picked: true).Markup.Value;

        Assert.Contains("""aria-label="Withdraw request to rowtest-karam" data-person="rowtest-karam" data-action="withdraw">""", row, StringComparison.Ordinal);
        Assert.DoesNotContain("data-action=\"chat\"", row, StringComparison.Ordinal);
    }

    [Fact]
    public void For_SameNameStatusRequestAndButton_IsTheSameSharedRow_AnotherStatusIsNot()
    {
        var online = PersonRow.For("rowtest-zara", PresenceStatus.Online, wantsMe: false, picked: false);

        Assert.Same(online, PersonRow.For("rowtest-zara", PresenceStatus.Online, wantsMe: false, picked: false));
        Assert.NotSame(online, PersonRow.For("rowtest-zara", PresenceStatus.Offline, wantsMe: false, picked: false));
        Assert.NotSame(online, PersonRow.For("rowtest-zara", PresenceStatus.Online, wantsMe: false, picked: true));
        Assert.DoesNotContain("wants to chat", online.Markup.Value, StringComparison.Ordinal);
        Assert.Contains("""<span class="user-avatar" aria-hidden="true">R</span>""", online.Markup.Value, StringComparison.Ordinal);
        Assert.Contains("""data-person="rowtest-zara" data-action="chat">""", online.Markup.Value, StringComparison.Ordinal);
    }
}
