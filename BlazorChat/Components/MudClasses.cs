namespace BlazorChat.Components;

/// <summary>
/// The classes MudBlazor gives each component the app draws as plain markup (<see cref="StaticMarkup"/> says why),
/// named for the component and the settings it would be given. MudClassesTests renders the real component with
/// those settings and compares, so a MudBlazor upgrade that changes a class fails a test.
/// </summary>
public static class MudClasses
{
    /// <summary>MudButton, Variant.Filled, Color.Primary, Size.Small.</summary>
    public const string ButtonFilledPrimarySmall = "mud-button-root mud-button mud-button-filled mud-button-filled-primary mud-button-filled-size-small mud-ripple";

    /// <summary>MudButton, Variant.Outlined, Color.Primary, Size.Small.</summary>
    public const string ButtonOutlinedPrimarySmall = "mud-button-root mud-button mud-button-outlined mud-button-outlined-primary mud-button-outlined-size-small mud-ripple";

    /// <summary>MudButton, Variant.Outlined, Color.Default, Size.Small.</summary>
    public const string ButtonOutlinedDefaultSmall = "mud-button-root mud-button mud-button-outlined mud-button-outlined-default mud-button-outlined-size-small mud-ripple";

    /// <summary>MudButton, Variant.Outlined, Color.Error, Size.Small.</summary>
    public const string ButtonOutlinedErrorSmall = "mud-button-root mud-button mud-button-outlined mud-button-outlined-error mud-button-outlined-size-small mud-ripple";

    /// <summary>MudButton, Variant.Outlined, Color.Inherit, Size.Small (on the app bar).</summary>
    public const string ButtonOutlinedInheritSmall = "mud-button-root mud-button mud-button-outlined mud-button-outlined-inherit mud-button-outlined-size-small mud-ripple";

    /// <summary>MudButton, Variant.Text, Color.Primary, Size.Small, Ripple false: a link-like "show more".</summary>
    public const string ButtonTextPrimarySmallNoRipple = "mud-button-root mud-button mud-button-text mud-button-text-primary mud-button-text-size-small";

    /// <summary>A MudButton's label, around its icon and text.</summary>
    public const string ButtonLabel = "mud-button-label";

    /// <summary>A small MudButton's StartIcon, around the icon.</summary>
    public const string ButtonStartIconSmall = "mud-button-icon-start mud-button-icon-size-small";

    /// <summary>MudIconButton, Variant.Filled, Color.Primary, Size.Medium.</summary>
    public const string IconButtonFilledPrimaryMedium = "mud-button-root mud-icon-button mud-button mud-button-filled mud-button-filled-primary mud-button-filled-size-medium mud-ripple";

    /// <summary>MudIconButton, Variant.Text, Color.Default, Size.Small, no ripple.</summary>
    public const string IconButtonTextDefaultSmallNoRipple = "mud-button-root mud-icon-button mud-icon-button-size-small";

    /// <summary>A MudIconButton's label, around its icon.</summary>
    public const string IconButtonLabel = "mud-icon-button-label";

    /// <summary>MudIcon, Size.Small (also a small button's icon).</summary>
    public const string IconSmall = "mud-icon-root mud-svg-icon mud-icon-size-small";

    /// <summary>MudIcon, Size.Medium (also a medium icon button's icon).</summary>
    public const string IconMedium = "mud-icon-root mud-svg-icon mud-icon-size-medium";

    /// <summary>MudPaper, Elevation 1.</summary>
    public const string PaperElevation1 = "mud-paper mud-elevation-1";

    /// <summary>MudAvatar, Color.Secondary.</summary>
    public const string AvatarSecondary = "mud-avatar mud-avatar-medium mud-avatar-filled mud-avatar-filled-secondary mud-elevation-0";

    /// <summary>MudText, Typo.h5.</summary>
    public const string TextH5 = "mud-typography mud-typography-h5";

    /// <summary>MudText, Typo.h6.</summary>
    public const string TextH6 = "mud-typography mud-typography-h6";

    /// <summary>MudText, Typo.body1.</summary>
    public const string TextBody1 = "mud-typography mud-typography-body1";

    /// <summary>MudText, Typo.body2.</summary>
    public const string TextBody2 = "mud-typography mud-typography-body2";

    /// <summary>MudText, Typo.caption.</summary>
    public const string TextCaption = "mud-typography mud-typography-caption";

    /// <summary>MudSpacer.</summary>
    public const string Spacer = "flex-grow-1";

    /// <summary>MudLayout.</summary>
    public const string Layout = "mud-layout";

    /// <summary>MudAppBar, Dense, Fixed, Elevation 1, Color.Primary.</summary>
    public const string AppBarDenseFixedPrimary = "mud-appbar mud-appbar-dense mud-appbar-fixed-top mud-elevation-1 mud-theme-primary";

    /// <summary>The toolbar inside <see cref="AppBarDenseFixedPrimary"/>.</summary>
    public const string AppBarDenseToolbar = "mud-toolbar mud-toolbar-dense mud-toolbar-gutters mud-toolbar-appbar";

    /// <summary>MudMainContent.</summary>
    public const string MainContent = "mud-main-content";

    /// <summary>MudContainer, MaxWidth.Medium.</summary>
    public const string ContainerMedium = "mud-container mud-container-maxwidth-md mud-container--gutters";
}
