using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace BlazorChat.LoadTest.Protocol;

/// <summary>
/// The hub protocol Blazor Server's circuits speak: SignalR's MessagePack protocol (version 2) under the
/// name "blazorpack", exactly as blazor.web.js renames its MessagePack protocol. A message from the
/// server whose arguments do not bind (a hub method we do not know, or one whose signature changed) is
/// reported instead of being dropped with a log line, so a protocol change fails the client loudly.
/// </summary>
public sealed class BlazorPackProtocol(Action<string> onBindingFailure) : IHubProtocol
{
    public const string ProtocolName = "blazorpack";

    // Stateless and thread-safe: one for the whole process.
    private static readonly MessagePackHubProtocol Inner = new();

    public string Name => ProtocolName;

    public int Version => Inner.Version;

    public TransferFormat TransferFormat => TransferFormat.Binary;

    public bool IsVersionSupported(int version) => Inner.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        if (!Inner.TryParseMessage(ref input, binder, out message))
        {
            return false;
        }

        if (message is InvocationBindingFailureMessage failure)
        {
            onBindingFailure($"The server called '{failure.Target}' with arguments this client cannot bind: {failure.BindingFailure.SourceException.Message}");
        }

        return true;
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => Inner.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => Inner.GetMessageBytes(message);
}
