using Enrollment.Domain;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.Prompt;

using Prompt = Enrollment.Domain.Prompt;

/// <summary>The HTML input type and autocomplete hint of a prompt, so browsers and password managers help the invitee.</summary>
public static class PromptHtml
{
    /// <summary>A stable element id from the field key (unique within a stage), so labels, help and errors can point at it.</summary>
    public static string Id(Prompt p) => "field-" + System.Text.RegularExpressions.Regex.Replace(p.FieldKey, "[^A-Za-z0-9_-]", "-");

    public static (string Type, string? Autocomplete) Input(Prompt p) => p.Type switch
    {
        PromptType.Email => ("email", "email"),
        PromptType.Password => ("password", "new-password"),
        PromptType.Number => ("number", null),
        PromptType.Date => ("date", null),
        PromptType.DateTime => ("datetime-local", null),
        PromptType.Username => ("text", "username"),
        _ => ("text", p.FieldKey switch
        {
            "name" => "name",
            "email" => "email",
            "username" => "username",
            "given_name" or "first_name" or "attributes.given_name" => "given-name",
            "family_name" or "last_name" or "attributes.family_name" => "family-name",
            _ => null,
        }),
    };
}
