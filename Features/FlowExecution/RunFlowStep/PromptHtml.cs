using Enrollment.Domain;

namespace Enrollment.Features.FlowExecution.RunFlowStep;

/// <summary>The HTML input type and autocomplete hint of a prompt, so browsers and password managers help the invitee.</summary>
public static class PromptHtml
{
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
