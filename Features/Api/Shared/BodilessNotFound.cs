using Microsoft.AspNetCore.Diagnostics;

namespace Enrollment.Features.Api.Shared;

/// <summary>
/// A 404 without a body, for the operations whose 404 authentik's schema documents without content (<c>view_key</c>,
/// <c>add_user</c>, …): the API's usual <c>{"detail": "Not found."}</c> is written by the status-code pages, which
/// this turns off for the one response.
/// </summary>
public static class BodilessNotFound
{
    public static IResult For(HttpContext http)
    {
        if (http.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
        return Results.NotFound();
    }
}
