using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Enrollment.Infrastructure.Web.Forms;

/// <summary>
/// One <c>autofocus</c> per page, on the first field the last submit got wrong: the first bad field rendered claims it
/// and takes it from a field that asked for focus on arrival (the sign-in page's username).
/// </summary>
public static class FirstInvalidField
{
    private static readonly object Key = new();

    public static void Claim(HttpContext http, TagHelperOutput output)
    {
        if (http.Items.ContainsKey(Key)) return;
        http.Items[Key] = true;
        output.Attributes.SetAttribute("autofocus", "autofocus");
    }
}
