using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Enrollment.Infrastructure.Blueprints;

/// <summary>
/// Writes blueprint YAML through YamlDotNet's emitter (so quoting and escaping are always valid YAML), with the
/// authentik tags as real YAML tags. Text that YAML would read as something else (<c>""</c>, <c>true</c>,
/// <c>10</c>, <c>null</c>) is double-quoted, so every value reads back as what it was.
/// </summary>
public sealed class BlueprintWriter
{
    private readonly StringWriter _text = new(CultureInfo.InvariantCulture) { NewLine = "\n" };
    private readonly Emitter _emitter;

    public BlueprintWriter()
    {
        _emitter = new Emitter(_text, 2, int.MaxValue);
        _emitter.Emit(new StreamStart());
        _emitter.Emit(new DocumentStart(null, null, true));
    }

    public string Finish()
    {
        _emitter.Emit(new DocumentEnd(true));
        _emitter.Emit(new StreamEnd());
        return _text.ToString().Replace("\r\n", "\n");
    }

    public BlueprintWriter Map() { _emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block)); return this; }
    public BlueprintWriter EndMap() { _emitter.Emit(new MappingEnd()); return this; }
    public BlueprintWriter List() { _emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Block)); return this; }
    public BlueprintWriter EndList() { _emitter.Emit(new SequenceEnd()); return this; }

    public BlueprintWriter Key(string key) => Text(key);

    public BlueprintWriter Text(string? value)
    {
        if (value is null) return Null();
        var style = ReadsAsSomethingElse(value) ? ScalarStyle.DoubleQuoted
            : value.Contains('\n') && !value.Contains('\r') && !value.EndsWith(' ') ? ScalarStyle.Literal
            : ScalarStyle.Any;
        _emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, value, style, true, true));
        return this;
    }

    public BlueprintWriter Flag(bool value) => Plain(value ? "true" : "false");
    public BlueprintWriter Number(int value) => Plain(value.ToString(CultureInfo.InvariantCulture));
    public BlueprintWriter Null() => Plain("null");

    /// <summary><c>!KeyOf id</c>: the pk of the object of an earlier entry.</summary>
    public BlueprintWriter KeyOf(string id)
    {
        _emitter.Emit(new Scalar(AnchorName.Empty, new TagName("!KeyOf"), id, ReadsAsSomethingElse(id) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any, false, false));
        return this;
    }

    /// <summary><c>!Find [model, [field, value]]</c>: the pk of an object the blueprint does not create.</summary>
    public BlueprintWriter Find(string model, string field, string value)
    {
        _emitter.Emit(new SequenceStart(AnchorName.Empty, new TagName("!Find"), false, SequenceStyle.Flow));
        Text(model);
        _emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Flow));
        Text(field).Text(value);
        _emitter.Emit(new SequenceEnd());
        _emitter.Emit(new SequenceEnd());
        return this;
    }

    /// <summary>A JSON object (attributes) as a YAML mapping, keys in their stored order.</summary>
    public BlueprintWriter Json(System.Text.Json.Nodes.JsonNode? node)
    {
        switch (node)
        {
            case null:
                return Null();
            case System.Text.Json.Nodes.JsonObject o:
                _emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, o.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (k, v) in o) { Key(k); Json(v); }
                return EndMap();
            case System.Text.Json.Nodes.JsonArray a:
                _emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, a.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var v in a) Json(v);
                return EndList();
            default:
                var value = node.AsValue();
                if (value.TryGetValue<string>(out var s)) return Text(s);
                if (value.TryGetValue<bool>(out var b)) return Flag(b);
                return Plain(node.ToJsonString());
        }
    }

    private BlueprintWriter Plain(string value)
    {
        _emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, value, ScalarStyle.Plain, true, false));
        return this;
    }

    /// <summary>Whether a plain scalar with this text would read back as null, a boolean or a number.</summary>
    private static bool ReadsAsSomethingElse(string v) =>
        v.Length == 0 || v.Trim() != v
        || v is "~" or "null" or "Null" or "NULL" or "true" or "True" or "TRUE" or "false" or "False" or "FALSE"
        || v.ToLowerInvariant() is "yes" or "no" or "on" or "off" or "y" or "n" or ".inf" or "-.inf" or "+.inf" or ".nan"
        || long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
        || (v.Any(char.IsAsciiDigit) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
}
