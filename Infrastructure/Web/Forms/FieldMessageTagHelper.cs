using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Enrollment.Infrastructure.Web.Forms;

/// <summary>Gives a field's validation message an id its field can point at (<c>aria-describedby</c>).</summary>
[HtmlTargetElement("span", Attributes = "asp-validation-for")]
[HtmlTargetElement("div", Attributes = "asp-validation-for")]
public sealed class FieldMessageTagHelper : TagHelper
{
    public override int Order => 1000;

    [HtmlAttributeName("asp-validation-for")]
    public ModelExpression For { get; set; } = null!;

    [ViewContext, HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public static string MessageId(string fullName) => TagBuilder.CreateSanitizedId(fullName, "_") + "-error";

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if (!output.Attributes.ContainsName("id"))
            output.Attributes.SetAttribute("id", MessageId(ViewContext.ViewData.TemplateInfo.GetFullHtmlFieldName(For.Name)));
    }
}
