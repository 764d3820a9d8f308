using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Enrollment.Infrastructure.Web.Forms;

/// <summary>
/// A form field the last submit got wrong, for every admin form at once: <c>aria-invalid</c>, <c>aria-describedby</c>
/// pointing at its message (see <see cref="FieldMessageTagHelper"/>), and <c>autofocus</c> on the page's first bad field,
/// so focus lands there after the post — without JavaScript by the browser, with it by htmx after the swap.
/// </summary>
[HtmlTargetElement("input", Attributes = "asp-for")]
[HtmlTargetElement("select", Attributes = "asp-for")]
[HtmlTargetElement("textarea", Attributes = "asp-for")]
public sealed class InvalidFieldTagHelper : TagHelper
{
    /// <summary>After the framework's own helpers, which write the id and name.</summary>
    public override int Order => 1000;

    [HtmlAttributeName("asp-for")]
    public ModelExpression For { get; set; } = null!;

    [ViewContext, HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var name = ViewContext.ViewData.TemplateInfo.GetFullHtmlFieldName(For.Name);
        var state = ViewContext.ViewData.ModelState;
        if (!state.TryGetValue(name, out var entry) || entry.Errors.Count == 0)
        {
            // A field that asks for focus on arrival gives it up when another field is wrong.
            if (output.Attributes.ContainsName("autofocus") && state.Any(e => e.Key.Length > 0 && e.Value.Errors.Count > 0))
                output.Attributes.RemoveAll("autofocus");
            return;
        }
        if (output.Attributes.TryGetAttribute("type", out var type) && type.Value?.ToString() == "hidden") return;
        output.Attributes.SetAttribute("aria-invalid", "true");
        var id = FieldMessageTagHelper.MessageId(name);
        var described = output.Attributes.TryGetAttribute("aria-describedby", out var existing) ? $"{existing.Value} {id}" : id;
        output.Attributes.SetAttribute("aria-describedby", described);
        FirstInvalidField.Claim(ViewContext.HttpContext, output);
    }
}
