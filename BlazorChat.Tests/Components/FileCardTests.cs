using BlazorChat.Components.Files;
using BlazorChat.Files;

namespace BlazorChat.Tests.Components;

/// <summary>A file's card in each of its states, and the list that keeps the cards of a chat.</summary>
public sealed class FileCardTests : ComponentTestContext
{
    private static readonly Guid Id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    private IRenderedComponent<FileCard> RenderCard(FileCardModel card, Action<FileCardModel>? cancel = null) =>
        Render<FileCard>(p => p.Add(c => c.Card, card).Add(c => c.Cancel, cancel ?? (_ => { })));

    [Fact]
    public void Uploading_ShowsNameSizePercentAndCancel()
    {
        FileCardModel? cancelled = null;
        var card = new FileCardModel("k", "report.pdf", 2 * 1024 * 1024, "application/pdf") { Status = FileCardStatus.Uploading, Sent = 1024 * 1024 };

        var cut = RenderCard(card, c => cancelled = c);

        Assert.Equal("report.pdf", cut.Find("[data-testid=file-name]").TextContent);
        Assert.Contains("2 MB", cut.Find(".file-meta").TextContent, StringComparison.Ordinal);
        Assert.Equal("50 %", cut.Find("[data-testid=file-percent]").TextContent);
        Assert.Equal("50", cut.Find("progress").GetAttribute("value"));
        cut.Find("button").Click();
        Assert.Same(card, cancelled);
    }

    [Fact]
    public void Sent_SaysSentAndOffersNoCancel()
    {
        var cut = RenderCard(new FileCardModel("k", "a.txt", 10, "text/plain") { Status = FileCardStatus.Sent, FileId = Id });

        Assert.Contains("Sent", cut.Find(".file-state").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("button"));
        Assert.Empty(cut.FindAll("a"));
    }

    [Fact]
    public void Received_OffersDownload_AndAThumbnailOnlyForAnImage()
    {
        var image = RenderCard(new FileCardModel("k", "dot.png", 70, "image/png") { Status = FileCardStatus.Received, FileId = Id, HasPreview = true });
        var other = RenderCard(new FileCardModel("j", "evil.svg", 70, "image/svg+xml") { Status = FileCardStatus.Received, FileId = Id });

        Assert.Equal($"files/{Id:N}", image.Find("a").GetAttribute("href"));
        Assert.Equal("Download", image.Find("a").TextContent);
        Assert.Equal($"files/{Id:N}/preview", image.Find("[data-testid=file-preview]").GetAttribute("src"));
        Assert.Contains("image/png", image.Find(".file-meta").TextContent, StringComparison.Ordinal);
        Assert.Equal("Download", other.Find("a").TextContent);
        Assert.Empty(other.FindAll("img"));
    }

    [Fact]
    public void RefusedAndUnavailable_SayWhy_WithNoLink()
    {
        var refused = RenderCard(new FileCardModel("k", "big.iso", 200L * 1024 * 1024, "x/y") { Status = FileCardStatus.Refused, Error = "Files up to 100 MB." });
        var gone = RenderCard(new FileCardModel("j", "a.txt", 1, "text/plain") { Status = FileCardStatus.Unavailable, FileId = Id });

        Assert.Equal("Files up to 100 MB.", refused.Find("[role=alert]").TextContent);
        Assert.Contains("no longer available", gone.Find(".file-state").TextContent, StringComparison.Ordinal);
        Assert.Empty(gone.FindAll("a"));
    }

    [Fact]
    public void Name_IsDrawnAsText()
    {
        var cut = RenderCard(new FileCardModel("k", "<img src=x onerror=alert(1)>.txt", 1, "text/plain") { Status = FileCardStatus.Received, FileId = Id });

        Assert.Equal("<img src=x onerror=alert(1)>.txt", cut.Find("[data-testid=file-name]").TextContent);
        Assert.Empty(cut.FindAll("img"));
    }

    [Fact]
    public async Task ChatFiles_RefusesTooLargeAtOnce_ThenFollowsAnUploadToSent_AndShowsThePartnersFiles()
    {
        var pair = await Fixture.PairTabsAsync("hamza", "karam");
        var cut = Render<ChatFiles>(p => p.Add(c => c.Connection, pair.A).Add(c => c.ConversationId, pair.ConversationId).Add(c => c.Me, "hamza"));

        var accepted = await cut.InvokeAsync(() => cut.Instance.Choose(
        [
            new ChatFiles.ChosenFile("b1", "huge.iso", Router.MaxFileSize + 1, "application/x-iso9660-image"),
            new ChatFiles.ChosenFile("b2", "notes/\u202Etxt.exe", 1000, "text/plain"),
        ]));

        Assert.Equal(["b2"], accepted);
        Assert.Equal("Files up to 100 MB.", cut.Find("[data-status=Refused] [role=alert]").TextContent);
        Assert.Equal("txt.exe", cut.Find("[data-status=Uploading] [data-testid=file-name]").TextContent);
        await cut.InvokeAsync(() => cut.Instance.Progress([new ChatFiles.UploadProgress("b2", 250)]));
        Assert.Equal("25 %", cut.Find("[data-testid=file-percent]").TextContent);
        await cut.InvokeAsync(() => cut.Instance.Finished("b2", Id.ToString(), null));
        Assert.Single(cut.FindAll("[data-status=Sent]"));

        // The router's notice of the same file draws no second card; the partner's file gets its own, then goes.
        var partners = new SharedFile(Guid.NewGuid(), "karam", "photo.png", 70, "image/png", "image/png", DateTimeOffset.UnixEpoch);
        await cut.InvokeAsync(() =>
        {
            cut.Instance.Apply(new FileShared(pair.ConversationId, new SharedFile(Id, "hamza", "txt.exe", 1000, "text/plain", null, DateTimeOffset.UnixEpoch)));
            cut.Instance.Apply(new FileShared(pair.ConversationId, partners));
        });
        Assert.Single(cut.FindAll("[data-status=Sent]"));
        Assert.Equal($"files/{partners.Id:N}", cut.Find("[data-status=Received] a").GetAttribute("href"));
        await cut.InvokeAsync(() => cut.Instance.Apply(new FileRemoved(pair.ConversationId, partners.Id)));
        Assert.Single(cut.FindAll("[data-status=Unavailable]"));
    }
}
