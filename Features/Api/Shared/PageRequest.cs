using System.Globalization;
using Enrollment.Infrastructure.Web;

namespace Enrollment.Features.Api.Shared;

/// <summary>The <c>page</c> and <c>page_size</c> query parameters, validated.</summary>
public sealed record PageRequest(int Page, int PageSize, bool Last)
{
    /// <summary>
    /// Non-integers and values below 1 are errors (authentik's DRF would silently fall back for <c>page_size</c>;
    /// a script with a typo deserves to hear about it). Larger sizes are cut to the maximum, as DRF does.
    /// <c>page=last</c> is DRF's alias for the last page.
    /// </summary>
    public static PageRequest Parse(string? page, string? pageSize, FieldErrors errors)
    {
        var last = string.Equals(page, "last", StringComparison.Ordinal);
        var number = 1;
        if (page is not null && !last && !TryPositive(page, out number)) errors.Add("page", "Invalid page.");
        var size = Paging.DefaultPageSize;
        if (pageSize is not null && !TryPositive(pageSize, out size)) errors.Add("page_size", "Invalid page size.");
        return new PageRequest(number, Math.Min(size, Paging.MaxPageSize), last);
    }

    private static bool TryPositive(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
}
