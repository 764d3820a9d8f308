using System.Text;
using Enrollment.Infrastructure.Web;
using Microsoft.Net.Http.Headers;

namespace Enrollment.Features.Brand.ServeBrandAssets;

/// <summary>
/// The brand's stylesheet (its flow background and custom CSS, served from this origin so the CSP's
/// <c>style-src 'self'</c> allows it without inline styles) and <c>/favicon.ico</c> (browsers ask for it on their own).
/// </summary>
public static class BrandAssetEndpoints
{
    public const string StylePath = "/-/brand/style.css";

    public static IEndpointRouteBuilder MapBrandAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet(StylePath, async (HttpContext http, BrandTitle brand) =>
        {
            var look = await brand.GetLookAsync();
            // Pages link it with the version of what it holds: that address may be cached for good, any other briefly.
            http.Response.Headers.CacheControl = http.Request.Query["v"] == look.StyleVersion ? "public, max-age=31536000, immutable" : "no-cache";
            return Results.Text(Stylesheet(look), "text/css; charset=utf-8");
        });
        app.MapGet("/favicon.ico", async (HttpContext http, BrandTitle brand) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=300";
            return Results.Redirect((await brand.GetLookAsync()).Favicon);
        });
        return app;
    }

    public static string Stylesheet(BrandLook look)
    {
        var css = new StringBuilder();
        if (look.Background.Length > 0)
            css.Append("body.flow-page { background-image: url(").Append(CssString(look.Background))
               .Append("); background-size: cover; background-position: center; background-attachment: fixed; }\n");
        css.Append(look.CustomCss);
        return css.ToString();
    }

    /// <summary>A quoted CSS string: the address cannot end the <c>url()</c> or the rule, whatever it holds.</summary>
    private static string CssString(string value)
    {
        var s = new StringBuilder("\"");
        foreach (var c in value)
        {
            if (char.IsAsciiLetterOrDigit(c) || "/:.-_~?&=%+,;@!$*#[]".Contains(c)) s.Append(c);
            else s.Append('\\').Append(((int)c).ToString("x")).Append(' ');
        }
        return s.Append('"').ToString();
    }
}
