using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Invitations;

/// <summary>
/// <c>GET /api/v3/stages/invitation/invitations/{pk}/uses/</c> (ours; authentik has no such record): the completed
/// enrollments with the invitation, newest first, in the usual list envelope. <c>user</c> is null once the user was
/// deleted; <c>flow</c> is the pk of the flow enrolled through (kept after the flow is deleted). 404 for an unknown
/// invitation.
/// </summary>
public static class ListInvitationUses
{
    public sealed record Query(
        [FromRoute(Name = "pk")] Guid Pk,
        [FromQuery(Name = "page")] string? Page,
        [FromQuery(Name = "page_size")] string? PageSize) : IQuery<ApiResult<ApiPage<UseJson>>>;

    public sealed record UserJson(int Pk, string Username, string Name, string Email);

    public sealed record UseJson(Guid Pk, UserJson? User, DateTime Created, string? ClientIp, Guid Flow);

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, ApiResult<ApiPage<UseJson>>>
    {
        public async ValueTask<ApiResult<ApiPage<UseJson>>> Handle(Query q, CancellationToken ct)
        {
            var errors = new FieldErrors();
            var page = PageRequest.Parse(q.Page, q.PageSize, errors);
            if (errors.Any) return ApiResult<ApiPage<UseJson>>.Invalid(errors);
            if (!await db.Invitations.AnyAsync(i => i.Id == q.Pk, ct)) return ApiResult<ApiPage<UseJson>>.NotFound();
            return await db.InvitationUses.AsNoTracking().Where(u => u.InvitationId == q.Pk)
                .OrderByDescending(u => u.Created).ThenBy(u => u.Id)
                .Select(u => new UseJson(u.Id,
                    u.User == null ? null : new UserJson(u.User.Id, u.User.UserName ?? "", u.User.Name, u.User.Email ?? ""),
                    u.Created, u.ClientIp, u.FlowId))
                .ToApiPageAsync(page, ct);
        }
    }
}
