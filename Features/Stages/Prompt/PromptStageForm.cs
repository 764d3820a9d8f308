using Enrollment.Domain;
using Enrollment.Features.Stages.Shared;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Validation;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.Prompt;

using Prompt = Enrollment.Domain.Prompt;

public sealed class PromptStageForm : StageForm
{
    /// <summary>Ids of the chosen prompts.</summary>
    public List<Guid> Fields { get; set; } = [];

    /// <summary>Ids of the chosen validation policies.</summary>
    public List<Guid> ValidationPolicies { get; set; } = [];

    [BindNever, ValidateNever] public IReadOnlyList<PromptChoice> PromptChoices { get; set; } = [];
    [BindNever, ValidateNever] public IReadOnlyList<(Guid Id, string Name)> PolicyChoices { get; set; } = [];

    public sealed record PromptChoice(Guid Id, string Name, string FieldKey, PromptType Type);
}
