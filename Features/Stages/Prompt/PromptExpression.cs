using System.Text.Json.Nodes;
using Enrollment.Domain;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.Prompt;

using Prompt = Enrollment.Domain.Prompt;

/// <summary>A prompt's <c>placeholder</c> or <c>initial_value</c> text that is a Python expression.</summary>
public sealed record PromptExpression(Prompt Prompt, string Field, string Source)
{
    public const string Placeholder = "placeholder";
    public const string InitialValue = "initial_value";
}
