using Enrollment.Domain;
using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Identity;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Invitations;

/// <summary>
/// <c>GET /api/v3/stages/invitation/invitations/</c>. Filters are django-filter's exact matches: <c>name</c>,
/// <c>created_by__username</c>, <c>flow__slug</c>, and <c>expires</c>, which matches invitations expiring at exactly
/// that instant (an ISO 8601 date-time with <c>Z</c> or an offset; send <c>+</c> as <c>%2B</c>). <c>search</c> finds
/// names containing the term in any case. Ours besides: <c>status</c> (<c>active</c>, <c>expired</c>, <c>used_up</c>, as
/// <see cref="Invitation.StatusAt"/> decides; another value is a 400). Default ordering <c>-expires</c>: invitations that never expire first,
/// as PostgreSQL sorts NULLs in authentik.
/// </summary>
public static class ListInvitations
{
    public sealed record Query(
        [FromQuery(Name = "page")] string? Page,
        [FromQuery(Name = "page_size")] string? PageSize,
        [FromQuery(Name = "ordering")] string? Ordering,
        [FromQuery(Name = "search")] string? Search,
        [FromQuery(Name = "name")] string? Name,
        [FromQuery(Name = "created_by__username")] string? CreatedByUsername,
        [FromQuery(Name = "expires")] string? Expires,
        [FromQuery(Name = "flow__slug")] string? FlowSlug,
        [FromQuery(Name = "status")] string? Status = null) : IQuery<ApiResult<ApiPage<InvitationJson>>>;

    /// <summary>Stands in for "never expires" when sorting, so NULLs sort the same on every engine.</summary>
    private static readonly DateTime Never = new(9999, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly Ordering<Invitation> Orderings = new Ordering<Invitation>("-expires")
        .Field("name", i => i.Name).Field("expires", i => i.Expires ?? Never).Field("single_use", i => i.SingleUse)
        .Field("max_uses", i => i.MaxUses ?? int.MaxValue).Field("uses", i => i.Uses);

    internal sealed class Handler(AppDbContext db, TimeProvider clock) : IQueryHandler<Query, ApiResult<ApiPage<InvitationJson>>>
    {
        public async ValueTask<ApiResult<ApiPage<InvitationJson>>> Handle(Query q, CancellationToken ct)
        {
            var errors = new FieldErrors();
            var page = PageRequest.Parse(q.Page, q.PageSize, errors);
            DateTime? expires = null;
            if (!string.IsNullOrEmpty(q.Expires))
            {
                expires = InvitationInput.ParseDateTime(q.Expires);
                if (expires is null) errors.Add("expires", "Enter a valid date/time.");
            }
            var status = Filters.Choice<InvitationStatus>(q.Status, "status", errors);
            if (errors.Any) return ApiResult<ApiPage<InvitationJson>>.Invalid(errors);
            var now = clock.GetUtcNow().UtcDateTime;

            var invitations = InvitationJson.Source(db);
            if (!string.IsNullOrEmpty(q.Name)) invitations = invitations.Where(i => i.Name == q.Name);
            // Invitations without a creator show authentik's AnonymousUser, and are found by its name too.
            if (!string.IsNullOrEmpty(q.CreatedByUsername))
                invitations = q.CreatedByUsername == AnonymousUser.Username
                    ? invitations.Where(i => i.CreatedBy == null || i.CreatedBy.UserName == q.CreatedByUsername)
                    : invitations.Where(i => i.CreatedBy != null && i.CreatedBy.UserName == q.CreatedByUsername);
            if (!string.IsNullOrEmpty(q.FlowSlug)) invitations = invitations.Where(i => i.Flow != null && i.Flow.Slug == q.FlowSlug);
            if (expires is { } at) invitations = invitations.Where(i => i.Expires == at);
            if (status is { } wanted) invitations = invitations.Where(Invitation.HasStatus(wanted, now));
            if (!string.IsNullOrWhiteSpace(q.Search))
            {
                var like = Paging.LikePattern(q.Search);
                invitations = invitations.Where(i => EF.Functions.Like(i.Name.ToLower(), like, "\\"));
            }
            var found = await Orderings.Apply(invitations, q.Ordering).ThenBy(i => i.Name).ThenBy(i => i.Id).ToApiPageAsync(page, ct);
            if (found.Value is not { } p) return found.As<ApiPage<InvitationJson>>();
            return ApiResult<ApiPage<InvitationJson>>.Ok(new ApiPage<InvitationJson>(p.Pagination, await InvitationJson.OfAsync(db, p.Results, now, ct)));
        }
    }
}
