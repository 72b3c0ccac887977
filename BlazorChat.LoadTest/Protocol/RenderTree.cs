using System.Text;

namespace BlazorChat.LoadTest.Protocol;

/// <summary>
/// A node of the client's copy of the page, shaped like blazor.web.js's logical DOM: components and
/// markup blocks are containers whose children sit where the component renders, so edits address
/// children by the same sibling indices the server uses.
/// </summary>
public abstract class TreeNode
{
    public ContainerNode? Parent { get; internal set; }

    /// <summary>Still part of the page (not removed with an ancestor).</summary>
    public bool IsAttached
    {
        get
        {
            TreeNode node = this;
            while (node.Parent is { } parent)
            {
                node = parent;
            }

            return node is DocumentNode;
        }
    }

    internal abstract void AppendText(StringBuilder builder);
}

/// <summary>A node with logical children: the document, a component, an element.</summary>
public abstract class ContainerNode : TreeNode
{
    private static readonly List<TreeNode> NoChildren = [];
    private List<TreeNode>? _children;

    public IReadOnlyList<TreeNode> Children => _children ?? NoChildren;

    /// <summary>All text below this node, as a browser's textContent.</summary>
    public string TextContent
    {
        get
        {
            var builder = new StringBuilder();
            AppendText(builder);
            return builder.ToString();
        }
    }

    /// <summary>Every element below this node, depth first in document order.</summary>
    public IEnumerable<ElementNode> Descendants()
    {
        if (_children is null)
        {
            yield break;
        }

        var stack = new Stack<(ContainerNode Node, int Next)>();
        stack.Push((this, 0));
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            var children = node.Children;
            if (next >= children.Count)
            {
                continue;
            }

            stack.Push((node, next + 1));
            if (children[next] is ContainerNode container)
            {
                if (container is ElementNode element)
                {
                    yield return element;
                }

                stack.Push((container, 0));
            }
        }
    }

    public ElementNode? Find(Func<ElementNode, bool> predicate) => Descendants().FirstOrDefault(predicate);

    /// <summary>The subtree as HTML-like text (event handlers shown as @event=id), for diagnostics.</summary>
    public string ToHtml()
    {
        var builder = new StringBuilder();
        AppendHtml(this, builder, 0);
        return builder.ToString();
    }

    private static void AppendHtml(TreeNode node, StringBuilder builder, int depth)
    {
        var indent = new string(' ', depth * 2);
        switch (node)
        {
            case ElementNode element:
                builder.Append(indent).Append('<').Append(element.Name);
                foreach (var attribute in element.Attributes)
                {
                    builder.Append(' ').Append(attribute.Key).Append("=\"").Append(attribute.Value).Append('"');
                }

                foreach (var binding in element.Events)
                {
                    builder.Append(" @").Append(binding.EventName).Append('=').Append(binding.HandlerId);
                }

                builder.Append(">\n");
                foreach (var child in element.Children)
                {
                    AppendHtml(child, builder, depth + 1);
                }

                builder.Append(indent).Append("</").Append(element.Name).Append(">\n");
                break;
            case ContainerNode container:
                builder.Append(indent).Append(container is ComponentNode component ? $"<!-- component {component.ComponentId} -->" : "<!-- document -->").Append('\n');
                foreach (var child in container.Children)
                {
                    AppendHtml(child, builder, depth + 1);
                }

                break;
            case TextNode text:
                builder.Append(indent).Append(text.Text).Append('\n');
                break;
            case MarkupNode markup:
                builder.Append(indent).Append(markup.Markup).Append('\n');
                break;
        }
    }

    internal TreeNode ChildAt(int index)
    {
        if (_children is null || index < 0 || index >= _children.Count)
        {
            throw new BlazorClientException($"The diff addresses child {index} of a node with {Children.Count} children.");
        }

        return _children[index];
    }

    internal void Insert(int index, TreeNode child)
    {
        _children ??= [];
        if (index < 0 || index > _children.Count)
        {
            throw new BlazorClientException($"The diff inserts at child {index} of a node with {_children.Count} children.");
        }

        child.Parent = this;
        _children.Insert(index, child);
    }

    internal void RemoveAt(int index)
    {
        var child = ChildAt(index);
        child.Parent = null;
        _children!.RemoveAt(index);
    }

    internal void Clear()
    {
        if (_children is null)
        {
            return;
        }

        foreach (var child in _children)
        {
            child.Parent = null;
        }

        _children = null;
    }

    /// <summary>Moves the children at each entry's from-index to its to-index, all at once.</summary>
    internal void Permute(List<(int From, int To)> moves)
    {
        var moved = moves.Select(m => ChildAt(m.From)).ToArray();
        for (var i = 0; i < moves.Count; i++)
        {
            if (moves[i].To < 0 || moves[i].To >= _children!.Count)
            {
                throw new BlazorClientException($"A permutation moves a child to index {moves[i].To} of {_children!.Count}.");
            }

            _children[moves[i].To] = moved[i];
        }
    }

    internal override void AppendText(StringBuilder builder)
    {
        if (_children is null)
        {
            return;
        }

        foreach (var child in _children)
        {
            child.AppendText(builder);
        }
    }
}

/// <summary>The page itself: the parent of the root components.</summary>
public sealed class DocumentNode : ContainerNode
{
}

/// <summary>Where a component renders its content.</summary>
public sealed class ComponentNode(int componentId) : ContainerNode
{
    public int ComponentId { get; } = componentId;
}

/// <summary>An element, its attributes and the event handlers the server registered on it.</summary>
public sealed class ElementNode(string name) : ContainerNode
{
    private List<KeyValuePair<string, string>>? _attributes;
    private List<EventBinding>? _events;

    public string Name { get; } = name;

    public IReadOnlyList<KeyValuePair<string, string>> Attributes => _attributes ?? [];

    public IReadOnlyList<EventBinding> Events => _events ?? [];

    public string? Attribute(string name)
    {
        if (_attributes is null)
        {
            return null;
        }

        foreach (var attribute in _attributes)
        {
            if (string.Equals(attribute.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return attribute.Value;
            }
        }

        return null;
    }

    /// <summary>The handler id for an event (e.g. "click"), or null when the element has none.</summary>
    public EventBinding? Event(string eventName)
    {
        if (_events is null)
        {
            return null;
        }

        foreach (var binding in _events)
        {
            if (binding.EventName == eventName)
            {
                return binding;
            }
        }

        return null;
    }

    public override string ToString() => $"<{Name} {string.Join(' ', Attributes.Select(a => $"{a.Key}=\"{a.Value}\""))}>";

    internal void SetAttribute(string name, string? value)
    {
        var index = _attributes?.FindIndex(a => string.Equals(a.Key, name, StringComparison.OrdinalIgnoreCase)) ?? -1;
        if (value is null)
        {
            if (index >= 0)
            {
                _attributes!.RemoveAt(index);
            }

            return;
        }

        _attributes ??= [];
        if (index >= 0)
        {
            _attributes[index] = new(name, value);
        }
        else
        {
            _attributes.Add(new(name, value));
        }
    }

    internal void SetEvent(EventBinding binding)
    {
        _events ??= [];
        _events.RemoveAll(e => e.EventName == binding.EventName);
        _events.Add(binding);
    }

    internal void RemoveEvent(ulong handlerId) => _events?.RemoveAll(e => e.HandlerId == handlerId);

    internal void RemoveEvent(string eventName) => _events?.RemoveAll(e => e.EventName == eventName);
}

/// <summary>An event handler the server attached to an element, and the component that rendered it.</summary>
public sealed record EventBinding(string EventName, ulong HandlerId, int ComponentId);

public sealed class TextNode(string text) : TreeNode
{
    public string Text { get; internal set; } = text;

    public override string ToString() => Text;

    internal override void AppendText(StringBuilder builder) => builder.Append(Text);
}

/// <summary>A block of raw markup (kept as a string; the client never needs to look inside).</summary>
public sealed class MarkupNode(string markup) : TreeNode
{
    public string Markup { get; } = markup;

    internal override void AppendText(StringBuilder builder) => builder.Append(Markup);
}
