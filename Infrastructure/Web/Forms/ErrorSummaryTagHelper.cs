using System.Text.Encodings.Web;
using Enrollment.Resources;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.Localization;

namespace Enrollment.Infrastructure.Web.Forms;

/// <summary>
/// Turns a form's <c>asp-validation-summary</c> into an error summary that is announced (<c>role="alert"</c>, present
/// only when there is something wrong): the form-wide messages, then a link to each field the submit got wrong.
/// </summary>
[HtmlTargetElement("div", Attributes = "asp-validation-summary")]
public sealed class ErrorSummaryTagHelper(HtmlEncoder encoder, IStringLocalizer<PageTexts> t) : TagHelper
{
    public override int Order => 1000;

    [ViewContext, HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var state = ViewContext.ViewData.ModelState;
        if (state.ErrorCount == 0)
        {
            output.SuppressOutput();
            return;
        }
        // The framework's helper drops the element when only fields are wrong (its "ModelOnly"); the summary keeps it.
        output.TagName = "div";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("role", "alert");
        output.Attributes.SetAttribute("class", "error-summary");
        output.Attributes.RemoveAll("data-valmsg-summary");
        var html = new System.Text.StringBuilder();
        var formWide = state.Where(e => e.Key.Length == 0).SelectMany(e => e.Value.Errors).Select(e => e.ErrorMessage).Distinct().ToList();
        var fields = state.Where(e => e.Key.Length > 0 && e.Value.Errors.Count > 0).ToList();
        // In the page's language: the sign-in form is an invitee's page too (the admin console's stay English).
        html.Append("<p class=\"error-summary-title\">").Append(encoder.Encode(fields.Count switch
        {
            0 => t["The form could not be saved."],
            1 => t["One field needs your attention."],
            _ => t["{0} fields need your attention.", fields.Count],
        })).Append("</p><ul>");
        foreach (var message in formWide) html.Append("<li>").Append(encoder.Encode(message)).Append("</li>");
        foreach (var (key, entry) in fields)
            html.Append("<li><a href=\"#").Append(encoder.Encode(TagBuilder.CreateSanitizedId(key, "_"))).Append("\">")
                .Append(encoder.Encode(entry.Errors[0].ErrorMessage)).Append("</a></li>");
        html.Append("</ul>");
        output.Content.SetHtmlContent(html.ToString());
    }
}
