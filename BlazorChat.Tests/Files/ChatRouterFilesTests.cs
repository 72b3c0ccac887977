using BlazorChat.Files;

namespace BlazorChat.Tests.Files;

/// <summary>The router decides who may send and fetch a chat's files, tells both people, and drops them with the chat.</summary>
public sealed class ChatRouterFilesTests : IDisposable
{
    private FilesFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task FindFile_OnlyTheTwoPeopleOfTheChatGetIt()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        await _fixture.PairAsync("hira", "rushna");

        var file = await _fixture.SendAsync("hamza", pair.ConversationId, [1, 2, 3]);

        Assert.Equal(file, _fixture.Router.FindFile("karam", file.Id));
        Assert.Equal(file, _fixture.Router.FindFile("KARAM", file.Id));
        Assert.Equal(file, _fixture.Router.FindFile("hamza", file.Id));
        Assert.Null(_fixture.Router.FindFile("hira", file.Id));
        Assert.Null(_fixture.Router.FindFile("zara", file.Id));
        Assert.Null(_fixture.Router.FindFile("", file.Id));
        Assert.Null(_fixture.Router.FindFile("karam", Guid.NewGuid()));
    }

    [Fact]
    public async Task BeginUpload_IntoAChatThatIsNotTheirs_IsRefused()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var other = await _fixture.PairAsync("hira", "rushna");
        _fixture.Connect("zara");

        Assert.Equal(UploadStatus.NotInChat, _fixture.Router.BeginUpload("hira", pair.ConversationId, "a", "text/plain", 1).Status);
        Assert.Equal(UploadStatus.NotInChat, _fixture.Router.BeginUpload("zara", pair.ConversationId, "a", "text/plain", 1).Status);
        Assert.Equal(UploadStatus.NotInChat, _fixture.Router.BeginUpload("hamza", other.ConversationId, "a", "text/plain", 1).Status);
        Assert.Equal(UploadStatus.NotInChat, _fixture.Router.BeginUpload("nobody", pair.ConversationId, "a", "text/plain", 1).Status);
    }

    [Fact]
    public async Task FindFile_WhileStillUploading_IsNull()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");

        var start = _fixture.Router.BeginUpload("hamza", pair.ConversationId, "a.txt", "text/plain", 10);

        Assert.Null(_fixture.Router.FindFile("karam", start.FileId));
    }

    [Fact]
    public async Task CompleteUpload_TellsEveryTabOfBothPeople_WithTheNameCleaned()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var (_, secondTab) = _fixture.Connect("karam");

        var file = await _fixture.SendAsync("hamza", pair.ConversationId, [1, 2, 3], name: "../../etc/\u202Epasswd\u0007.txt", type: "Text/Plain; charset=utf-8");

        Assert.Equal("passwd.txt", file.Name);
        Assert.Equal("text/plain", file.ContentType);
        Assert.Equal(file, (await pair.BEvents.WaitForAsync<FileShared>()).File);
        Assert.Equal(file, (await secondTab.WaitForAsync<FileShared>()).File);
        Assert.Equal(file, (await pair.AEvents.WaitForAsync<FileShared>()).File);
        Assert.Equal([file], _fixture.Router.SharedFiles(pair.B, pair.ConversationId));
        Assert.Empty(_fixture.Router.SharedFiles(pair.B, pair.ConversationId + 1));
    }

    [Fact]
    public async Task EndOfChat_DeletesItsFiles()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var file = await _fixture.SendAsync("hamza", pair.ConversationId, new byte[200_000]);
        Assert.Equal(1, _fixture.Store.Count);

        Assert.True(pair.B.End());

        Assert.Null(_fixture.Router.FindFile("karam", file.Id));
        Assert.Null(_fixture.Store.OpenRead(file.Id));
        Assert.Empty(Directory.GetFiles(_fixture.Store.Folder));
        Assert.Equal(0, _fixture.Store.UsedBytes);
    }

    [Fact]
    public async Task PartnerSigningOut_DeletesTheChatsFiles()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var file = await _fixture.SendAsync("karam", pair.ConversationId, new byte[1000]);

        _fixture.Router.SignOut("hamza", sessionId: null);

        Assert.Null(_fixture.Router.FindFile("karam", file.Id));
        Assert.Empty(Directory.GetFiles(_fixture.Store.Folder));
    }

    [Fact]
    public async Task EndOfChat_CancelsAnUploadUnderWay_OutsideTheRoutersLock()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var start = _fixture.Router.BeginUpload("hamza", pair.ConversationId, "big.bin", "application/octet-stream", null);
        bool? routerFreeWhenCancelled = null;
        start.Cancelled.Register(() =>
            // Another thread must get into the router while the cancellation runs: it would wait if the lock were held here.
            routerFreeWhenCancelled = Task.Run(() => _fixture.Router.FindFile("karam", start.FileId)).Wait(TimeSpan.FromSeconds(5)));

        Assert.True(pair.A.End());

        Assert.True(start.Cancelled.IsCancellationRequested);
        Assert.True(routerFreeWhenCancelled);
        Assert.Null(_fixture.Router.CompleteUpload(new StoredFile(start.FileId, 10, null)));
    }

    [Fact]
    public async Task MaxFilesPerChat_OneMore_IsRefused_UntilOneIsAbandoned()
    {
        _fixture.Dispose();
        _fixture = new FilesFixture(new FilesOptions { MaxFilesPerChat = 2, MaxUploadsPerMinute = 0 });
        var pair = await _fixture.PairAsync("hamza", "karam");
        await _fixture.SendAsync("hamza", pair.ConversationId, [1]);
        var underWay = _fixture.Router.BeginUpload("karam", pair.ConversationId, "b", "text/plain", 1);

        Assert.Equal(UploadStatus.TooMany, _fixture.Router.BeginUpload("hamza", pair.ConversationId, "c", "text/plain", 1).Status);
        _fixture.Router.AbandonUpload(underWay.FileId);
        Assert.Equal(UploadStatus.Accepted, _fixture.Router.BeginUpload("hamza", pair.ConversationId, "c", "text/plain", 1).Status);
    }

    [Fact]
    public async Task MaxUploadsPerMinute_IsPerPerson_AndRefills()
    {
        _fixture.Dispose();
        _fixture = new FilesFixture(new FilesOptions { MaxUploadsPerMinute = 2 });
        var pair = await _fixture.PairAsync("hamza", "karam");
        UploadStatus Try(string who) => _fixture.Router.BeginUpload(who, pair.ConversationId, "a", "text/plain", 1).Status;

        Assert.Equal(UploadStatus.Accepted, Try("hamza"));
        Assert.Equal(UploadStatus.Accepted, Try("hamza"));
        Assert.Equal(UploadStatus.TooFast, Try("hamza"));
        Assert.Equal(UploadStatus.Accepted, Try("karam"));
        _fixture.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(UploadStatus.Accepted, Try("hamza"));
    }

    [Fact]
    public async Task BeginUpload_DeclaredLargerThanMaxFileSize_IsRefusedAtOnce()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");

        Assert.Equal(UploadStatus.TooLarge, _fixture.Router.BeginUpload("hamza", pair.ConversationId, "a", "x/y", _fixture.Files.MaxFileSize + 1).Status);
        Assert.Equal(UploadStatus.Accepted, _fixture.Router.BeginUpload("hamza", pair.ConversationId, "a", "x/y", _fixture.Files.MaxFileSize).Status);
    }

    [Fact]
    public async Task MaxAge_RemovesTheFile_AndTellsBothPeople()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var file = await _fixture.SendAsync("hamza", pair.ConversationId, [1, 2, 3]);

        _fixture.Time.Advance(_fixture.Files.MaxAge - TimeSpan.FromSeconds(1));
        Assert.NotNull(_fixture.Router.FindFile("karam", file.Id));
        _fixture.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(file.Id, (await pair.BEvents.WaitForAsync<FileRemoved>()).FileId);
        Assert.Equal(file.Id, (await pair.AEvents.WaitForAsync<FileRemoved>()).FileId);
        Assert.Null(_fixture.Router.FindFile("karam", file.Id));
        Assert.Empty(Directory.GetFiles(_fixture.Store.Folder));
    }

    [Fact]
    public async Task CompleteUpload_PreviewOnlyWhenBytesAndDeclaredTypeAgree()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");

        var png = await _fixture.SendAsync("hamza", pair.ConversationId, TestImages.Png, "a.png", "image/png");
        var pngCalledText = await _fixture.SendAsync("hamza", pair.ConversationId, TestImages.Png, "a.txt", "text/plain");
        var svg = await _fixture.SendAsync("hamza", pair.ConversationId, TestImages.ScriptedSvg, "a.png", "image/png");

        Assert.Equal(ImageTypes.Png, png.PreviewType);
        Assert.Null(pngCalledText.PreviewType);
        Assert.Null(svg.PreviewType);
    }
}
