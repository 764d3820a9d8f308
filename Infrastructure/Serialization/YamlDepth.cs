using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Enrollment.Infrastructure.Serialization;

/// <summary>
/// Walks YAML's parser events iteratively before any recursive loader sees the text: a few kilobytes of "[[[[…"
/// would otherwise overflow the stack, which no catch can stop. Untrusted text goes through this first.
/// </summary>
public static class YamlDepth
{
    /// <summary>Where the text first nests deeper than <paramref name="max"/>, or null when it never does.</summary>
    public static Mark? FirstTooDeep(string text, int max)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case MappingStart or SequenceStart when ++depth > max:
                    return parser.Current.Start;
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
            }
        }
        return null;
    }
}
