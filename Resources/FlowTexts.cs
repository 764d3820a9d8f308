namespace Enrollment.Resources;

/// <summary>
/// The texts of flow pages: the flow card, every stage's messages, buttons and validation errors, the denials.
/// <c>FlowTexts.resx</c> holds the English texts, each its own key (a text missing from a language reads in English,
/// never as a code); <c>FlowTexts.&lt;language&gt;.resx</c> hold the translations.
/// </summary>
public sealed class FlowTexts
{
    private FlowTexts() { }
}
