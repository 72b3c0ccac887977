using System.Buffers.Binary;
using System.Text;

namespace BlazorChat.LoadTest.Protocol;

/// <summary>Frame types of the render tree, as numbered in the binary render batch.</summary>
public enum FrameType
{
    Element = 1,
    Text = 2,
    Attribute = 3,
    Component = 4,
    Region = 5,
    ElementReferenceCapture = 6,
    Markup = 8,
    NamedEvent = 10,
}

/// <summary>Edit types of a component's diff, as numbered in the binary render batch.</summary>
public enum EditType
{
    PrependFrame = 1,
    RemoveFrame = 2,
    SetAttribute = 3,
    RemoveAttribute = 4,
    UpdateText = 5,
    StepIn = 6,
    StepOut = 7,
    UpdateMarkup = 8,
    PermutationListEntry = 9,
    PermutationListEnd = 10,
}

/// <summary>
/// Reads Blazor Server's binary render batch in place, without copying it into objects: the layout
/// RenderBatchWriter writes and blazor.web.js's OutOfProcessRenderBatch reads. The last five int32s
/// locate the updated components, the reference frames, the disposed component ids, the disposed event
/// handler ids and the string table; frames are 20 bytes (type, then 16 bytes whose meaning depends on
/// the type), edits 16 bytes (type, sibling index, new tree index, removed attribute name).
/// </summary>
public readonly struct RenderBatchReader
{
    public const int FrameSize = 20;
    public const int EditSize = 16;

    private readonly byte[] _data;
    private readonly int _stringTable;

    public RenderBatchReader(byte[] data)
    {
        if (data.Length < 20)
        {
            throw new BlazorClientException($"A render batch of {data.Length} bytes is too short.");
        }

        _data = data;
        _stringTable = Int32At(data.Length - 4);
    }

    public int UpdatedComponentCount => Int32At(Int32At(_data.Length - 20));

    /// <summary>Where the diff of the index-th updated component starts.</summary>
    public int Diff(int index) => Int32At(Int32At(_data.Length - 20) + 4 + (index * 4));

    public int DiffComponentId(int diff) => Int32At(diff);

    public int DiffEditCount(int diff) => Int32At(diff + 4);

    public int DiffEdit(int diff, int index) => diff + 8 + (index * EditSize);

    public EditType EditType(int edit) => (EditType)Int32At(edit);

    public int EditSiblingIndex(int edit) => Int32At(edit + 4);

    public int EditNewTreeIndex(int edit) => Int32At(edit + 8);

    public int EditMoveToSiblingIndex(int edit) => Int32At(edit + 8);

    public string? EditRemovedAttributeName(int edit) => StringAt(Int32At(edit + 12));

    /// <summary>Where the index-th reference frame starts.</summary>
    public int Frame(int index) => Int32At(_data.Length - 16) + 4 + (index * FrameSize);

    public FrameType FrameType(int frame) => (FrameType)Int32At(frame);

    public int FrameSubtreeLength(int frame) => Int32At(frame + 4);

    public int FrameComponentId(int frame) => Int32At(frame + 8);

    public string FrameElementName(int frame) => StringAt(Int32At(frame + 8)) ?? throw new BlazorClientException("An element frame without a name.");

    public string FrameText(int frame) => StringAt(Int32At(frame + 4)) ?? "";

    public string FrameAttributeName(int frame) => StringAt(Int32At(frame + 4)) ?? throw new BlazorClientException("An attribute frame without a name.");

    public string? FrameAttributeValue(int frame) => StringAt(Int32At(frame + 8));

    public ulong FrameAttributeEventHandlerId(int frame) => BinaryPrimitives.ReadUInt64LittleEndian(_data.AsSpan(frame + 12, 8));

    public int DisposedComponentCount => Int32At(Int32At(_data.Length - 12));

    public int DisposedComponentId(int index) => Int32At(Int32At(_data.Length - 12) + 4 + (index * 4));

    public int DisposedEventHandlerCount => Int32At(Int32At(_data.Length - 8));

    public ulong DisposedEventHandlerId(int index) =>
        BinaryPrimitives.ReadUInt64LittleEndian(_data.AsSpan(Int32At(_data.Length - 8) + 4 + (index * 8), 8));

    /// <summary>An entry of the string table: a LEB128 byte count, then UTF-8. Index -1 is null.</summary>
    public string? StringAt(int index)
    {
        if (index == -1)
        {
            return null;
        }

        var position = Int32At(_stringTable + (index * 4));
        var length = 0;
        var shift = 0;
        byte next;
        do
        {
            next = _data[position++];
            length |= (next & 0x7F) << shift;
            shift += 7;
        }
        while ((next & 0x80) != 0);

        return Encoding.UTF8.GetString(_data, position, length);
    }

    private int Int32At(int position) => BinaryPrimitives.ReadInt32LittleEndian(_data.AsSpan(position, 4));
}
