using System.Globalization;
using System.Net.Mail;
using System.Text.Json.Nodes;
using Enrollment.Domain;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.Prompt;

using Prompt = Enrollment.Domain.Prompt;

/// <summary>Facts about prompt types that rendering and validation share.</summary>
public static class PromptValues
{
    /// <summary>
    /// The most characters a prompt's value may have: far more than any name, address or answer, far less than what
    /// would bloat plans, users and events (the form as a whole is capped at 1 MB before it gets here).
    /// </summary>
    public const int MaxLength = 4096;

    /// <summary>The most characters <paramref name="prompt"/> takes: its own maximum, else <see cref="MaxLength"/>.</summary>
    public static int MaxLengthOf(Prompt prompt) => prompt.MaxLength ?? MaxLength;

    /// <summary>The key of the message for a value longer than a maximum (<c>{0}</c>) in <see cref="Resources.FlowTexts"/>.</summary>
    public const string TooLong = "Use at most {0:N0} characters.";

    /// <summary>
    /// The most characters the user write stage can put in the user's column for <paramref name="fieldKey"/>, or null
    /// for keys that land elsewhere (attributes): a username as sign-in takes it, the name's column, an email address.
    /// Checked whatever the prompt's type, so a longer value is an error on its field rather than a failed write.
    /// </summary>
    public static int? UserColumnLength(string fieldKey) => fieldKey switch
    {
        "username" => 150,
        "name" => 300,
        "email" => 254,
        _ => null,
    };

    /// <summary>Types whose value is never taken from the browser.</summary>
    public static bool IsForcedToServer(PromptType t) => t is PromptType.Hidden or PromptType.Static or PromptType.TextReadOnly or PromptType.TextAreaReadOnly;

    /// <summary>Types that show something but hold no value.</summary>
    public static bool IsDisplayOnly(PromptType t) => t is PromptType.Separator or PromptType.Static or PromptType.AlertInfo or PromptType.AlertWarning or PromptType.AlertDanger;

    /// <summary>
    /// Choices of choice types. authentik takes the placeholder as the choice (a list when it is an expression);
    /// we also read one choice per line, so a plain placeholder can offer several.
    /// </summary>
    public static IReadOnlyList<string> Choices(Prompt p) => p.Type switch
    {
        PromptType.AkLocale => Languages.Supported, // the languages pages come in; each shown in its own name
        PromptType.RadioButtonGroup or PromptType.Dropdown when !p.PlaceholderExpression =>
            p.Placeholder.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        _ => [],
    };

    /// <summary>A value as a form shows it: text as is, <c>true</c>/<c>false</c> for a checkbox, other values as JSON.</summary>
    public static string Text(JsonNode node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        _ => node.ToJsonString(),
    };

    /// <summary>The choices a placeholder expression returned: a list gives one choice per item, anything else one choice, None none.</summary>
    public static IReadOnlyList<string> ChoicesOf(JsonNode? value) => value switch
    {
        null => [],
        JsonArray items => items.Where(i => i is not null).Select(i => Text(i!)).Where(t => t.Length > 0).Distinct().ToList(),
        _ => Text(value) is { Length: > 0 } one ? [one] : [],
    };

    public static bool IsEmail(string text)
    {
        if (text.Length > 254 || text.Any(char.IsWhiteSpace) || text.Count(c => c == '@') != 1) return false;
        return MailAddress.TryCreate(text, out var parsed) && parsed.Address == text && parsed.Host.Contains('.');
    }
}
