namespace Enrollment.Domain;

/// <summary>authentik's prompt: one field a prompt stage asks for, stored under <see cref="FieldKey"/> in <c>prompt_data</c>.</summary>
public class Prompt
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public required string FieldKey { get; set; }
    public string Label { get; set; } = "";
    public PromptType Type { get; set; } = PromptType.Text;
    public bool Required { get; set; } = true;
    public string Placeholder { get; set; } = "";
    public bool PlaceholderExpression { get; set; }
    public string InitialValue { get; set; } = "";
    public bool InitialValueExpression { get; set; }
    public string SubText { get; set; } = "";
    public int Order { get; set; }
}
