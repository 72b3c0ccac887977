namespace BlazorChat.Calls;

/// <summary>What the router did with a tab's call action.</summary>
[GenerateSerializer]
public enum CallResult
{
    /// <summary>The call was placed: the partner's tabs ring.</summary>
    Ringing,

    /// <summary>The tab is now one end of the call (an answer, or a call placed while the partner's call rang: glare).</summary>
    Joined,

    /// <summary>Done as asked (declined, hung up, signal relayed).</summary>
    Done,

    /// <summary>The tab is not in that chat (or none is live): nothing happened.</summary>
    NotInChat,

    /// <summary>The tab is not an end of that call, or the call is not in a state for this: refused, nothing relayed.</summary>
    NotInCall,

    /// <summary>A call already rings or runs in this chat.</summary>
    Busy,

    /// <summary>Too many calls placed or signals sent in a short time; nothing happened.</summary>
    TooFast,

    /// <summary>A signal larger than <see cref="CallOptions.MaxSignalChars"/>; nothing relayed.</summary>
    TooLarge,
}
