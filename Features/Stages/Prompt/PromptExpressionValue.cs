using System.Text.Json.Nodes;
using Enrollment.Domain;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.Prompt;

using Prompt = Enrollment.Domain.Prompt;

/// <summary>What one prompt expression gave; <see cref="Ok"/> false when it failed (the failure is logged and recorded).</summary>
public sealed record PromptExpressionValue(bool Ok, JsonNode? Value);
