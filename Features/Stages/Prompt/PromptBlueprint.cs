using System.Text.RegularExpressions;
using Enrollment.Infrastructure.Blueprints.Models;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.Prompt;

/// <summary>authentik's <c>authentik_stages_prompt.prompt</c>: the prompts a prompt stage shows.</summary>
internal static partial class PromptBlueprint
{
    public const string Name = "authentik_stages_prompt.prompt";

    [GeneratedRegex(@"^[-a-zA-Z0-9_.]+$")]
    private static partial Regex FieldKeyPattern();

    public static IBlueprintModel Model() => new BlueprintModel<Domain.Prompt>
    {
        Name = Name,
        New = () => new Domain.Prompt { Name = "", FieldKey = "" },
        PkField = Keys.Guid<Domain.Prompt>(x => x.Id),
        GetPk = x => x.Id,
        Fields =
        [
            Fields<Domain.Prompt>.Text("name", x => x.Name, required: true, maxLength: 200),
            Fields<Domain.Prompt>.Text("field_key", x => x.FieldKey, required: true, maxLength: 200,
                check: s => FieldKeyPattern().IsMatch(s) ? null : "use only letters, digits, '_', '.' and '-'."),
            Fields<Domain.Prompt>.Text("label", x => x.Label),
            // Published blueprints use both spellings; exports write authentik's current one.
            Fields<Domain.Prompt>.Choice("type", x => x.Type),
            Fields<Domain.Prompt>.Choice("prompt_type", x => x.Type).NotExported(),
            Fields<Domain.Prompt>.Flag("required", x => x.Required),
            Fields<Domain.Prompt>.Text("placeholder", x => x.Placeholder),
            Fields<Domain.Prompt>.Flag("placeholder_expression", x => x.PlaceholderExpression),
            Fields<Domain.Prompt>.Text("initial_value", x => x.InitialValue),
            Fields<Domain.Prompt>.Flag("initial_value_expression", x => x.InitialValueExpression),
            Fields<Domain.Prompt>.Text("sub_text", x => x.SubText),
            Fields<Domain.Prompt>.Number("order", x => x.Order),
            // Ours, not authentik's: written only when set, so an export without it reads as authentik's own.
            Fields<Domain.Prompt>.OptionalNumber("max_length", x => x.MaxLength, 1, Domain.Prompt.MaxLengthLimit),
        ],
        Required = [["name"], ["field_key"], ["type", "prompt_type"]],
        ExportId = x => "prompt-" + x.Name,
        SortBy = x => x.Name,
    };
}
