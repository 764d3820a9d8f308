using Enrollment.Infrastructure.Serialization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Enrollment.Infrastructure.Blueprints;

/// <summary>The parts of a blueprint file, still as YAML nodes: tags are resolved later, entry by entry.</summary>
public sealed record BlueprintDocument(YamlNode? Metadata, YamlNode? Context, IReadOnlyList<YamlNode> Entries, IReadOnlyList<string> UnknownKeys);
