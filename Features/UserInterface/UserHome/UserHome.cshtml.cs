using Enrollment.Infrastructure.Identity;
using System.Security.Claims;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.UserInterface.UserHome;

/// <summary>The user interface for internal users. External users go to the brand's default application instead.</summary>
[Authorize]
public sealed class UserHome(ISender sender) : PageModel
{
    public Me? Data { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var result = await sender.Send(new Query(User.UserId()!.Value));
        if (result.ExternalRedirect is { } url) return Redirect(url);
        Data = result.Me;
        if (Data is null) Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }

    public sealed record Query(int UserId) : IQuery<Result>;

    public sealed record Me(string Username, string Name, string? Email, string Path, IReadOnlyList<string> Groups);

    /// <summary>Either the internal user's details, or where an external user belongs (null: nowhere configured).</summary>
    public sealed record Result(Me? Me, string? ExternalRedirect);

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken ct)
        {
            var user = await UserQuery(db, query.UserId, ct);
            if (user is null || !user.IsActive) return new(null, null);
            if (user.Type != UserType.Internal)
            {
                var app = await db.Brands.AsNoTracking().Where(b => b.Default).Select(b => b.DefaultApplicationUrl).FirstOrDefaultAsync(ct);
                return new(null, string.IsNullOrWhiteSpace(app) ? null : app);
            }
            return new(new Me(user.UserName!, user.Name, user.Email, user.Path, user.Groups), null);
        }

        // Compiled once: every enrollment ends on this page, and building the LINQ query cost more than running it.
        private static readonly Func<AppDbContext, int, CancellationToken, Task<Row?>> UserQuery =
            EF.CompileAsyncQuery((AppDbContext db, int id, CancellationToken ct) => db.Users.AsNoTracking().Where(u => u.Id == id)
                .Select(u => new Row(u.UserName, u.Name, u.Email, u.Path, u.Type, u.IsActive, u.Groups.OrderBy(g => g.Name).Select(g => g.Name).ToList()))
                .SingleOrDefault());

        private sealed record Row(string? UserName, string Name, string? Email, string Path, UserType Type, bool IsActive, List<string> Groups);
    }
}
