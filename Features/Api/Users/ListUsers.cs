using Enrollment.Domain;
using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Users;

/// <summary><c>GET /api/v3/core/users/</c></summary>
public static class ListUsers
{
    // Raw strings, so a bad value becomes a DRF-style field error instead of the binder's bare 400.
    public sealed record Query(
        [FromQuery(Name = "page")] string? Page,
        [FromQuery(Name = "page_size")] string? PageSize,
        [FromQuery(Name = "ordering")] string? Ordering,
        [FromQuery(Name = "search")] string? Search,
        [FromQuery(Name = "username")] string? Username,
        [FromQuery(Name = "email")] string? Email,
        [FromQuery(Name = "path")] string? Path,
        [FromQuery(Name = "path_startswith")] string? PathStartswith,
        [FromQuery(Name = "type")] string? Type,
        [FromQuery(Name = "is_active")] string? IsActive) : IQuery<ApiResult<ApiPage<UserJson>>>;

    private static readonly Ordering<User> Orderings = new Ordering<User>("username")
        .Field("username", u => u.UserName).Field("name", u => u.Name).Field("email", u => u.Email).Field("path", u => u.Path)
        .Field("is_active", u => u.IsActive).Field("date_joined", u => u.DateJoined).Field("last_login", u => u.LastLogin).Field("pk", u => u.Id);

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, ApiResult<ApiPage<UserJson>>>
    {
        public async ValueTask<ApiResult<ApiPage<UserJson>>> Handle(Query q, CancellationToken ct)
        {
            var errors = new FieldErrors();
            var page = PageRequest.Parse(q.Page, q.PageSize, errors);
            var type = Filters.Choice<UserType>(q.Type, "type", errors);
            var isActive = Filters.Boolean(q.IsActive, "is_active", errors);
            if (errors.Any) return ApiResult<ApiPage<UserJson>>.Invalid(errors);

            var users = db.Users.AsNoTracking();
            if (!string.IsNullOrEmpty(q.Username)) users = users.Where(u => u.UserName == q.Username);
            if (!string.IsNullOrEmpty(q.Email)) users = users.Where(u => u.Email == q.Email);
            if (!string.IsNullOrEmpty(q.Path)) users = users.Where(u => u.Path == q.Path);
            if (!string.IsNullOrEmpty(q.PathStartswith)) users = users.Where(u => u.Path.StartsWith(q.PathStartswith));
            if (type is { } t) users = users.Where(u => u.Type == t);
            if (isActive is { } active) users = users.Where(u => u.IsActive == active);
            if (!string.IsNullOrWhiteSpace(q.Search))
            {
                var like = Paging.LikePattern(q.Search);
                users = users.Where(u => EF.Functions.Like(u.UserName!.ToLower(), like, "\\") || EF.Functions.Like(u.Name.ToLower(), like, "\\")
                    || EF.Functions.Like(u.Email!.ToLower(), like, "\\"));
            }

            var rows = await Orderings.Apply(users, q.Ordering).ThenBy(u => u.Id).Select(UserRow.Projection).ToApiPageAsync(page, ct);
            if (rows.Value is not { } found) return rows.As<ApiPage<UserJson>>();
            var superuser = await SuperuserGroups.LoadAsync(db, ct);
            return ApiResult<ApiPage<UserJson>>.Ok(found.Map(r => r.ToJson(superuser)));
        }
    }
}
