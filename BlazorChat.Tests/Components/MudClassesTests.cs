using AngleSharp.Dom;
using BlazorChat.Components;
using MudBlazor;

namespace BlazorChat.Tests.Components;

/// <summary>
/// The app draws these MudBlazor components as plain markup (<see cref="StaticMarkup"/>, <see cref="MudClasses"/>).
/// Each test renders the real component with the settings the app imitates and compares every element's tag and
/// classes (an icon's path aside) with the hand-drawn markup, so a MudBlazor upgrade that changes them fails here.
/// </summary>
public sealed class MudClassesTests : ComponentTestContext
{
    private const string Svg = Icons.Material.Filled.Chat;

    [Theory]
    [InlineData(Variant.Filled, Color.Primary, MudClasses.ButtonFilledPrimarySmall)]
    [InlineData(Variant.Outlined, Color.Primary, MudClasses.ButtonOutlinedPrimarySmall)]
    [InlineData(Variant.Outlined, Color.Default, MudClasses.ButtonOutlinedDefaultSmall)]
    [InlineData(Variant.Outlined, Color.Error, MudClasses.ButtonOutlinedErrorSmall)]
    [InlineData(Variant.Outlined, Color.Inherit, MudClasses.ButtonOutlinedInheritSmall)]
    public void SmallButton_WithAStartIcon_IsDrawnAsMudButtonDrawsIt(Variant variant, Color color, string classes)
    {
        var real = Render<MudButton>(p => p
            .Add(b => b.Variant, variant).Add(b => b.Color, color).Add(b => b.Size, Size.Small)
            .Add(b => b.StartIcon, Svg).AddChildContent("Chat"));

        AssertSameShape(real.Find("button"), $"""<button type="button" class="{classes}">{StaticMarkup.ButtonLabel(Svg, "Chat")}</button>""");
    }

    [Theory]
    [InlineData(Variant.Filled, Color.Primary, MudClasses.ButtonFilledPrimarySmall)]
    [InlineData(Variant.Outlined, Color.Default, MudClasses.ButtonOutlinedDefaultSmall)]
    public void SmallButton_WithTextOnly_IsDrawnAsMudButtonDrawsIt(Variant variant, Color color, string classes)
    {
        var real = Render<MudButton>(p => p
            .Add(b => b.Variant, variant).Add(b => b.Color, color).Add(b => b.Size, Size.Small).AddChildContent("Withdraw"));

        AssertSameShape(real.Find("button"), $"""<button type="button" class="{classes}">{StaticMarkup.ButtonLabel("Withdraw")}</button>""");
    }

    [Fact]
    public void TextButton_WithoutRipple_IsDrawnAsMudButtonDrawsIt()
    {
        var real = Render<MudButton>(p => p
            .Add(b => b.Variant, Variant.Text).Add(b => b.Color, Color.Primary).Add(b => b.Size, Size.Small)
            .Add(b => b.Ripple, false).AddChildContent("Show more"));

        AssertSameShape(real.Find("button"), $"""<button type="button" class="{MudClasses.ButtonTextPrimarySmallNoRipple}">{StaticMarkup.ButtonLabel("Show more")}</button>""");
    }

    [Fact]
    public void IconButton_IsDrawnAsMudIconButtonDrawsIt()
    {
        var real = Render<MudIconButton>(p => p
            .Add(b => b.Variant, Variant.Filled).Add(b => b.Color, Color.Primary).Add(b => b.Size, Size.Medium).Add(b => b.Icon, Svg));

        AssertSameShape(real.Find("button"),
            $"""<button type="button" class="{MudClasses.IconButtonFilledPrimaryMedium}"><span class="{MudClasses.IconButtonLabel}">{StaticMarkup.Icon(Svg, MudClasses.IconMedium)}</span></button>""");
    }

    [Fact]
    public void SmallTextIconButton_IsDrawnAsMudIconButtonDrawsIt()
    {
        var real = Render<MudIconButton>(p => p.Add(b => b.Size, Size.Small).Add(b => b.Ripple, false).Add(b => b.Icon, Svg));

        AssertSameShape(real.Find("button"),
            $"""<button type="button" class="{MudClasses.IconButtonTextDefaultSmallNoRipple}"><span class="{MudClasses.IconButtonLabel}">{StaticMarkup.Icon(Svg, MudClasses.IconSmall)}</span></button>""");
    }

    [Theory]
    [InlineData(Size.Small, MudClasses.IconSmall)]
    [InlineData(Size.Medium, MudClasses.IconMedium)]
    public void Icon_IsDrawnAsMudIconDrawsIt(Size size, string classes)
    {
        var real = Render<MudIcon>(p => p.Add(i => i.Icon, Svg).Add(i => i.Size, size).Add(i => i.Class, "mr-2"));

        AssertSameShape(real.Find("svg"), StaticMarkup.Icon(Svg, classes + " mr-2").Value);
    }

    [Theory]
    [InlineData(Typo.h5, MudClasses.TextH5)]
    [InlineData(Typo.h6, MudClasses.TextH6)]
    [InlineData(Typo.body1, MudClasses.TextBody1)]
    [InlineData(Typo.body2, MudClasses.TextBody2)]
    [InlineData(Typo.caption, MudClasses.TextCaption)]
    public void Text_HasMudTextsClasses(Typo typo, string classes)
    {
        var real = Render<MudText>(p => p.Add(t => t.Typo, typo).AddChildContent("text"));

        Assert.Equal(classes, real.Find("*").ClassName);
    }

    [Fact]
    public void PaperAvatarAndSpacer_HaveMudBlazorsClasses()
    {
        Assert.Equal(MudClasses.PaperElevation1, Render<MudPaper>(p => p.Add(c => c.Elevation, 1)).Find("div").ClassName);
        Assert.Equal(MudClasses.AvatarSecondary, Render<MudAvatar>(p => p.Add(c => c.Color, Color.Secondary).AddChildContent("K")).Find("div").ClassName);
        AssertSameShape(Render<MudSpacer>().Find("div"), StaticMarkup.Spacer.Value);
    }

    [Fact]
    public void LayoutAndAppBar_HaveMudBlazorsClasses()
    {
        var appBar = Render<MudAppBar>(p => p
            .Add(a => a.Dense, true).Add(a => a.Fixed, true).Add(a => a.Elevation, 1).Add(a => a.Color, Color.Primary).AddChildContent("BlazorChat"));
        var layout = Render<MudLayout>(p => p.AddChildContent<MudMainContent>(m => m
            .AddChildContent<MudContainer>(c => c.Add(x => x.MaxWidth, MaxWidth.Medium).AddChildContent("page"))));

        AssertSameShape(appBar.Find("header"), $"""<header class="{MudClasses.AppBarDenseFixedPrimary}"><div class="{MudClasses.AppBarDenseToolbar}"></div></header>""");
        AssertSameShape(layout.Find("div"),
            $"""<div class="{MudClasses.Layout}"><div class="{MudClasses.MainContent}"><div class="{MudClasses.ContainerMedium}"></div></div></div>""");
    }

    private void AssertSameShape(IElement real, string drawn) =>
        Assert.Equal(Shape(real), Shape(Render(b => b.AddMarkupContent(0, drawn)).Find("*")));

    // Each element's tag and classes in document order, the icon's own path elements aside.
    private static string Shape(IElement root) => string.Join(" > ", root.QuerySelectorAll("*").Prepend(root)
        .Where(e => e.LocalName == "svg" || e.Closest("svg") is null)
        .Select(e => $"{e.LocalName}.{e.ClassName}"));
}
