using System.Globalization;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.Prompt;

using Prompt = Enrollment.Domain.Prompt;

/// <summary>
/// One prompt as the form shows it: its value (never a password), its choices, its placeholder and its error.
/// <paramref name="Locked"/>: read-only whatever its type, because the server decides the value (the address an
/// invitation is bound to).
/// </summary>
public sealed record PromptField(Prompt Prompt, string Value, IReadOnlyList<string> Choices, string? Error, string? Placeholder = null, bool Locked = false)
{
    public PromptType Type => Prompt.Type;

    /// <summary>The password rules this field is checked against, shown under it before the first submit (null: none).</summary>
    public string? Hint { get; init; }
}
