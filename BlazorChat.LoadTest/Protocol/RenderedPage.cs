namespace BlazorChat.LoadTest.Protocol;

/// <summary>
/// The client's live copy of the page: root components attached by the server, updated by applying
/// each render batch's diffs the way blazor.web.js's BrowserRenderer does. Not thread-safe: the circuit
/// applies batches and answers queries under its own lock.
/// </summary>
public sealed class RenderedPage
{
    private readonly Dictionary<int, ComponentNode> _components = [];
    private readonly Dictionary<ulong, ElementNode> _eventHandlers = [];
    private readonly SortedDictionary<int, ComponentNode> _rootsBySsrId = [];

    public DocumentNode Document { get; } = new();

    /// <summary>Called with every text the page shows, when it is inserted or changed, and the batch's arrival time.</summary>
    public Action<string, long>? TextRendered { get; set; }

    /// <summary>Called with every piece of markup the page inserts (not when one is replaced), and the batch's arrival time.</summary>
    public Action<string, long>? MarkupRendered { get; set; }

    public int ComponentCount => _components.Count;

    /// <summary>JS.AttachComponent: the root component with this id renders where the ssrComponentId-th marker was.</summary>
    public void AttachRootComponent(int componentId, int ssrComponentId)
    {
        if (_rootsBySsrId.ContainsKey(ssrComponentId))
        {
            throw new BlazorClientException($"Root component {componentId} attached to marker {ssrComponentId}, which already has one.");
        }

        var root = new ComponentNode(componentId);
        _rootsBySsrId.Add(ssrComponentId, root);
        _components[componentId] = root;
        var index = _rootsBySsrId.Keys.ToList().IndexOf(ssrComponentId);
        Document.Insert(index, root);
    }

    /// <summary>Applies one render batch: every updated component's edits, then the disposals.</summary>
    public void Apply(byte[] data, long arrivalTimestamp)
    {
        var batch = new RenderBatchReader(data);
        for (var i = 0; i < batch.UpdatedComponentCount; i++)
        {
            var diff = batch.Diff(i);
            var componentId = batch.DiffComponentId(diff);
            if (!_components.TryGetValue(componentId, out var component))
            {
                throw new BlazorClientException($"No element is associated with component {componentId}.");
            }

            ApplyEdits(batch, componentId, component, diff, arrivalTimestamp);
        }

        for (var i = 0; i < batch.DisposedComponentCount; i++)
        {
            _components.Remove(batch.DisposedComponentId(i));
        }

        for (var i = 0; i < batch.DisposedEventHandlerCount; i++)
        {
            var handlerId = batch.DisposedEventHandlerId(i);
            if (_eventHandlers.Remove(handlerId, out var element))
            {
                element.RemoveEvent(handlerId);
            }
        }
    }

    private void ApplyEdits(RenderBatchReader batch, int componentId, ContainerNode parent, int diff, long arrival)
    {
        var depth = 0;
        List<(int From, int To)>? permutation = null;
        var count = batch.DiffEditCount(diff);
        for (var e = 0; e < count; e++)
        {
            var edit = batch.DiffEdit(diff, e);
            var sibling = batch.EditSiblingIndex(edit);
            switch (batch.EditType(edit))
            {
                case EditType.PrependFrame:
                    var frameIndex = batch.EditNewTreeIndex(edit);
                    InsertFrame(batch, componentId, parent, sibling, frameIndex, arrival);
                    break;
                case EditType.RemoveFrame:
                    parent.RemoveAt(sibling);
                    break;
                case EditType.SetAttribute:
                    ApplyAttribute(batch, componentId, ElementAt(parent, sibling), batch.Frame(batch.EditNewTreeIndex(edit)));
                    break;
                case EditType.RemoveAttribute:
                    var name = batch.EditRemovedAttributeName(edit) ?? throw new BlazorClientException("A removeAttribute edit without a name.");
                    var element = ElementAt(parent, sibling);
                    element.SetAttribute(name, null);
                    if (name.StartsWith("on", StringComparison.Ordinal))
                    {
                        element.RemoveEvent(name[2..]);
                    }

                    break;
                case EditType.UpdateText:
                    if (parent.ChildAt(sibling) is not TextNode text)
                    {
                        throw new BlazorClientException("Cannot set text content on a non-text child.");
                    }

                    text.Text = batch.FrameText(batch.Frame(batch.EditNewTreeIndex(edit)));
                    TextRendered?.Invoke(text.Text, arrival);
                    break;
                case EditType.UpdateMarkup:
                    var markup = batch.FrameText(batch.Frame(batch.EditNewTreeIndex(edit)));
                    parent.RemoveAt(sibling);
                    parent.Insert(sibling, new MarkupNode(markup));
                    MarkupRendered?.Invoke(markup, arrival);
                    break;
                case EditType.StepIn:
                    parent = parent.ChildAt(sibling) as ContainerNode
                        ?? throw new BlazorClientException("A stepIn edit into a node that has no children.");
                    depth++;
                    break;
                case EditType.StepOut:
                    parent = parent.Parent ?? throw new BlazorClientException("A stepOut edit above the page.");
                    depth--;
                    break;
                case EditType.PermutationListEntry:
                    (permutation ??= []).Add((sibling, batch.EditMoveToSiblingIndex(edit)));
                    break;
                case EditType.PermutationListEnd:
                    parent.Permute(permutation ?? throw new BlazorClientException("A permutation list ended before it began."));
                    permutation = null;
                    break;
                default:
                    throw new BlazorClientException($"Unknown edit type {(int)batch.EditType(edit)}.");
            }
        }

        if (depth != 0)
        {
            throw new BlazorClientException($"A diff of component {componentId} ended {depth} levels deep.");
        }
    }

    private static ElementNode ElementAt(ContainerNode parent, int index) =>
        parent.ChildAt(index) as ElementNode ?? throw new BlazorClientException("An attribute edit on a non-element child.");

    /// <summary>Inserts the frame at frameIndex; returns how many children of parent it added.</summary>
    private int InsertFrame(RenderBatchReader batch, int componentId, ContainerNode parent, int childIndex, int frameIndex, long arrival)
    {
        var frame = batch.Frame(frameIndex);
        switch (batch.FrameType(frame))
        {
            case FrameType.Element:
                var element = new ElementNode(batch.FrameElementName(frame));
                var end = frameIndex + batch.FrameSubtreeLength(frame);
                var child = frameIndex + 1;
                for (; child < end && batch.FrameType(batch.Frame(child)) == FrameType.Attribute; child++)
                {
                    ApplyAttribute(batch, componentId, element, batch.Frame(child));
                }

                parent.Insert(childIndex, element);
                InsertFrameRange(batch, componentId, element, 0, child, end, arrival);
                return 1;
            case FrameType.Text:
                var text = batch.FrameText(frame);
                parent.Insert(childIndex, new TextNode(text));
                TextRendered?.Invoke(text, arrival);
                return 1;
            case FrameType.Attribute:
                throw new BlazorClientException("Attribute frames should only be present as leading children of element frames.");
            case FrameType.Component:
                var component = new ComponentNode(batch.FrameComponentId(frame));
                parent.Insert(childIndex, component);
                _components[component.ComponentId] = component;
                return 1;
            case FrameType.Region:
                return InsertFrameRange(batch, componentId, parent, childIndex, frameIndex + 1, frameIndex + batch.FrameSubtreeLength(frame), arrival);
            case FrameType.ElementReferenceCapture:
            case FrameType.NamedEvent:
                return 0; // A child in the diff, but nothing on the page.
            case FrameType.Markup:
                var markup = batch.FrameText(frame);
                parent.Insert(childIndex, new MarkupNode(markup));
                MarkupRendered?.Invoke(markup, arrival);
                return 1;
            default:
                throw new BlazorClientException($"Unknown frame type {(int)batch.FrameType(frame)}.");
        }
    }

    private int InsertFrameRange(RenderBatchReader batch, int componentId, ContainerNode parent, int childIndex, int start, int endExclusive, long arrival)
    {
        var first = childIndex;
        for (var index = start; index < endExclusive; index++)
        {
            var frame = batch.Frame(index);
            childIndex += InsertFrame(batch, componentId, parent, childIndex, index, arrival);
            if (batch.FrameType(frame) is FrameType.Element or FrameType.Component or FrameType.Region)
            {
                index += batch.FrameSubtreeLength(frame) - 1; // Its descendants were inserted with it.
            }
        }

        return childIndex - first;
    }

    private void ApplyAttribute(RenderBatchReader batch, int componentId, ElementNode element, int frame)
    {
        var name = batch.FrameAttributeName(frame);
        var handlerId = batch.FrameAttributeEventHandlerId(frame);
        if (handlerId != 0)
        {
            if (!name.StartsWith("on", StringComparison.Ordinal))
            {
                throw new BlazorClientException($"Attribute should be an event name, but doesn't start with 'on'. Value: '{name}'");
            }

            element.SetEvent(new EventBinding(name[2..], handlerId, componentId));
            _eventHandlers[handlerId] = element;
            return;
        }

        // __internal_stopPropagation_* and __internal_preventDefault_* only steer the browser's own behaviour.
        if (!name.StartsWith("__internal_", StringComparison.Ordinal))
        {
            element.SetAttribute(name, batch.FrameAttributeValue(frame));
        }
    }
}
