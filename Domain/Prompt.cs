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

    /// <summary>The most characters a value may have; null: the default for every prompt (4,096).</summary>
    public int? MaxLength { get; set; }

    /// <summary>The largest <see cref="MaxLength"/> an admin may set: a form as a whole is capped at 1 MB.</summary>
    public const int MaxLengthLimit = 65536;
}
