using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BlazorChat.Components.Comforts;

/// <summary>
/// The app bar's dark mode switch and the account menu's settings, as constant markup: js/comforts.js sets their
/// state from what this browser remembers (localStorage, the theme cookie) and acts on them. Nothing here reaches
/// the server, so every person's settings are per browser.
/// </summary>
public static class ComfortsMarkup
{
    /// <summary>The app bar's switch: dark when pressed. js/comforts.js keeps aria-checked true to what is shown.</summary>
    public static readonly MarkupString ThemeSwitch = new(
        $"""<button type="button" id="theme-switch" role="switch" aria-checked="false" aria-label="Dark mode" title="Dark mode" class="appbar-icon-button">{StaticMarkup.Icon(Icons.Material.Filled.DarkMode, MudClasses.IconMedium + " theme-icon-dark")}{StaticMarkup.Icon(Icons.Material.Filled.LightMode, MudClasses.IconMedium + " theme-icon-light")}</button>""");

    /// <summary>Notification and sound settings: each a checkbox named by its data-setting, remembered per browser.</summary>
    public static readonly MarkupString Settings = new($"""
        <div class="account-menu-settings" role="group" aria-label="Notifications and sound">
        <label class="account-menu-item"><input type="checkbox" data-setting="{Notify}" /> Notify me</label>
        <label class="account-menu-item"><input type="checkbox" data-setting="{ShowText}" /> Show message text in notifications</label>
        <label class="account-menu-item"><input type="checkbox" data-setting="{Mute}" /> Mute sounds</label>
        <p class="account-menu-note" data-testid="notify-note" role="status"></p>
        </div>
        """);

    /// <summary>System notifications for messages, requests and calls while the tab is hidden (off until chosen).</summary>
    public const string Notify = "notify";

    /// <summary>Notifications show the message's text, not only who sent it (off until chosen).</summary>
    public const string ShowText = "notify-text";

    /// <summary>No sound for messages and requests (sound is on until muted).</summary>
    public const string Mute = "mute";
}
