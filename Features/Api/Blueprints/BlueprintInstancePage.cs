using System.Text.Json.Nodes;
using Enrollment.Features.Api.Shared;

namespace Enrollment.Features.Api.Blueprints;

/// <summary>authentik's <c>PaginatedBlueprintInstanceList</c>: the list envelope with its required <c>autocomplete</c> (empty here).</summary>
public sealed record BlueprintInstancePage(Pagination Pagination, IReadOnlyList<BlueprintInstanceJson> Results, JsonObject Autocomplete);
