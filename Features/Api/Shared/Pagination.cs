namespace Enrollment.Features.Api.Shared;

/// <summary>
/// authentik's <c>pagination</c> object. <c>next</c>/<c>previous</c> are page numbers, 0 when there is none;
/// <c>start_index</c>/<c>end_index</c> are 1-based and both 0 for an empty list, as Django's paginator reports them.
/// </summary>
public sealed record Pagination(int Next, int Previous, int Count, int Current, int TotalPages, int StartIndex, int EndIndex);
