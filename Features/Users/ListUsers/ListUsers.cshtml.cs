using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Users.ListUsers;

public sealed class ListUsers(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Path { get; set; }
    [FromQuery(Name = "page")] public int PageNumber { get; set; } = 1;
    public Result Data { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        Data = await sender.Send(new Query(Q, Path, PageNumber));
        return this.PageOrPartial("_UserRows", Data);
    }

    public sealed record Query(string? Q, string? Path, int Page) : IQuery<Result>;

    public sealed record Row(int Id, string UserName, string Name, string? Email, bool IsActive, UserType Type, string Path, DateTime? LastLogin);

    /// <summary>One segment of the path tree; <see cref="Count"/> includes the users of every sub-path.</summary>
    public sealed record PathNode(string Segment, string FullPath, int Count, IReadOnlyList<PathNode> Children);

    public sealed record Result(string? Q, string? Path, Paged<Row> Users, IReadOnlyList<PathNode> Tree)
    {
        public string LinkTo(int page, string? path = null) =>
            $"/if/admin/users/?q={Uri.EscapeDataString(Q ?? "")}&path={Uri.EscapeDataString(path ?? Path ?? "")}&page={page}";
    }

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken ct)
        {
            var users = db.Users.AsNoTracking().Where(Domain.User.People);
            if (!string.IsNullOrWhiteSpace(query.Q))
            {
                var like = Paging.LikePattern(query.Q);
                users = users.Where(u => EF.Functions.Like(u.UserName!.ToLower(), like, "\\")
                                         || EF.Functions.Like(u.Name.ToLower(), like, "\\")
                                         || EF.Functions.Like(u.Email!.ToLower(), like, "\\"));
            }
            var path = query.Path?.Trim().Trim('/');
            if (!string.IsNullOrEmpty(path))
                users = users.Where(u => u.Path == path || u.Path.StartsWith(path + "/"));
            var page = await users.OrderBy(u => u.UserName)
                .Select(u => new Row(u.Id, u.UserName!, u.Name, u.Email, u.IsActive, u.Type, u.Path, u.LastLogin))
                .ToPagedAsync(query.Page, ct: ct);
            var counts = await db.Users.AsNoTracking().Where(Domain.User.People).GroupBy(u => u.Path)
                .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
            return new Result(query.Q, path, page, Tree(counts, ""));
        }

        // Paths are only stored on users, so the tree is rebuilt from their distinct values.
        private static List<PathNode> Tree(Dictionary<string, int> counts, string prefix) =>
            counts.Keys
                .Where(p => prefix.Length == 0 || p.StartsWith(prefix + "/", StringComparison.Ordinal))
                .Select(p => p[(prefix.Length == 0 ? 0 : prefix.Length + 1)..].Split('/')[0])
                .Where(s => s.Length > 0)
                .Distinct()
                .Order(StringComparer.Ordinal)
                .Select(segment =>
                {
                    var full = prefix.Length == 0 ? segment : $"{prefix}/{segment}";
                    var total = counts.Where(c => c.Key == full || c.Key.StartsWith(full + "/", StringComparison.Ordinal)).Sum(c => c.Value);
                    return new PathNode(segment, full, total, Tree(counts, full));
                })
                .ToList();
    }
}
