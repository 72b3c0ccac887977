using Microsoft.AspNetCore.Components.Forms;

namespace BlazorChat.Tests.Components;

/// <summary>The antiforgery token a page was rendered with, as the app's provider hands it to a live component.</summary>
public sealed class FixedAntiforgeryState : AntiforgeryStateProvider
{
    public const string Token = "test-antiforgery-token";

    public override AntiforgeryRequestToken? GetAntiforgeryToken() => new(Token, "__RequestVerificationToken");
}
