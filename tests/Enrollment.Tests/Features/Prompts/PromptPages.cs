namespace Enrollment.Tests.Features.Prompts;

/// <summary>The prompt pages' form, as the tests of the prompt slices fill it in.</summary>
public static class PromptPages
{
    public static (string, string)[] Fields(string name, string fieldKey, string type = "text", params (string, string)[] more) =>
        [("Input.Name", name), ("Input.FieldKey", fieldKey), ("Input.Type", type), ("Input.Required", "false"), ("Input.Order", "0"), .. more];
}
