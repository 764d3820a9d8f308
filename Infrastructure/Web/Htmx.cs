using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Infrastructure.Web;

public static class Htmx
{
    public static bool IsHtmx(this HttpRequest request) => request.Headers.ContainsKey("HX-Request");

    /// <summary>An htmx request that wants only a fragment: not boosted navigation and not a history restore.</summary>
    public static bool WantsFragment(this HttpRequest request) =>
        request.IsHtmx() && !request.Headers.ContainsKey("HX-Boosted") && !request.Headers.ContainsKey("HX-History-Restore-Request");

    /// <summary>The whole page, or just <paramref name="partial"/> for htmx; one URL serves both, so caches must vary.</summary>
    public static IActionResult PageOrPartial(this PageModel page, string partial, object? model = null)
    {
        page.Response.Headers.Vary = "HX-Request";
        if (!page.Request.WantsFragment()) return page.Page();
        return page.Partial(partial, model ?? page);
    }
}
