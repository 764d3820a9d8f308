using Enrollment.Infrastructure.Blueprints;
using Microsoft.Extensions.Options;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Enrollment.Features.Blueprints.Shared;

/// <summary>A context key of a shipped blueprint and its default, as text for an input (null when it is computed by a tag or not a plain value).</summary>
public sealed record ContextKey(string Name, string? Default, string? Note);
