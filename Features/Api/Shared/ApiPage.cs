using System.Text.Json.Nodes;

namespace Enrollment.Features.Api.Shared;

/// <summary>
/// authentik's list envelope: <c>{"pagination": {...}, "results": [...], "autocomplete": {}}</c>. authentik fills
/// <c>autocomplete</c> only for its query-language search (events, users); its clients require the key, so it is
/// always sent, empty.
/// </summary>
public sealed record ApiPage<T>(Pagination Pagination, IReadOnlyList<T> Results)
{
    public JsonObject Autocomplete { get; init; } = [];

    public ApiPage<TOther> Map<TOther>(Func<T, TOther> map) => new(Pagination, Results.Select(map).ToList());
}
