using System.ComponentModel.DataAnnotations;
using Enrollment.Domain;
using Enrollment.Infrastructure.Web;

namespace Enrollment.Features.Prompts.Shared;

/// <summary>The fields of a prompt as the create and edit forms post them (authentik's names as values).</summary>
public class PromptForm
{
    [Required(ErrorMessage = "Enter a name.")]
    [StringLength(200)]
    public string Name { get; set; } = "";

    [Required(ErrorMessage = "Enter a field key; it names the value in prompt_data.")]
    [StringLength(200)]
    [RegularExpression(@"^[-a-zA-Z0-9_.]+$", ErrorMessage = "Use only letters, digits, '_', '.' and '-'.")]
    public string FieldKey { get; set; } = "";

    public string? Label { get; set; }

    [Required, WireEnum(typeof(PromptType))]
    public string Type { get; set; } = "text";

    public bool Required { get; set; } = true;

    public string? Placeholder { get; set; }

    public bool PlaceholderExpression { get; set; }

    public string? InitialValue { get; set; }

    public bool InitialValueExpression { get; set; }

    public string? SubText { get; set; }

    public int Order { get; set; }

    [Range(1, Prompt.MaxLengthLimit, ErrorMessage = "Enter a maximum length between 1 and 65,536 characters, or leave it empty for 4,096.")]
    public int? MaxLength { get; set; }

    public void ApplyTo(Prompt prompt)
    {
        prompt.Name = Name.Trim();
        prompt.FieldKey = FieldKey.Trim();
        prompt.Label = Label?.Trim() ?? "";
        prompt.Type = Wire.Parse<PromptType>(Type);
        prompt.Required = Required;
        // Placeholders and initial values may be expressions or choice lists: keep them as typed.
        prompt.Placeholder = Placeholder ?? "";
        prompt.PlaceholderExpression = PlaceholderExpression;
        prompt.InitialValue = InitialValue ?? "";
        prompt.InitialValueExpression = InitialValueExpression;
        prompt.SubText = SubText ?? "";
        prompt.Order = Order;
        prompt.MaxLength = MaxLength;
    }

    public static T From<T>(Prompt prompt) where T : PromptForm, new() => new()
    {
        Name = prompt.Name,
        FieldKey = prompt.FieldKey,
        Label = prompt.Label,
        Type = Wire.Name(prompt.Type),
        Required = prompt.Required,
        Placeholder = prompt.Placeholder,
        PlaceholderExpression = prompt.PlaceholderExpression,
        InitialValue = prompt.InitialValue,
        InitialValueExpression = prompt.InitialValueExpression,
        SubText = prompt.SubText,
        Order = prompt.Order,
        MaxLength = prompt.MaxLength,
    };
}
