using Microsoft.AspNetCore.Components;

namespace BlazorChat.Components;

/// <summary>
/// A component that draws again only when what it shows, its <see cref="RenderKey"/>, has changed since it
/// last drew: a parent's render or an event that changes nothing it shows costs it no render and no batch.
/// </summary>
public abstract class RendersOnChange<TKey> : ComponentBase
{
    private TKey _rendered = default!;

    /// <summary>Everything the component's output depends on, compared by value.</summary>
    protected abstract TKey RenderKey { get; }

    // What was last drawn is recorded when drawing (the first render follows initialisation), not after:
    // OnAfterRender waits for the browser to acknowledge the render, and a change and its undoing can both
    // arrive before that; compared with a stale record the second looked like no change, and the message box
    // kept a sent message's text.
    protected sealed override void OnInitialized() => _rendered = RenderKey;

    protected override bool ShouldRender()
    {
        var key = RenderKey;
        if (EqualityComparer<TKey>.Default.Equals(key, _rendered))
        {
            return false;
        }

        _rendered = key;
        return true;
    }
}
