using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Groups.ListGroups;

public sealed class ListGroups(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [FromQuery(Name = "page")] public int PageNumber { get; set; } = 1;
    public Result Data { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        Data = await sender.Send(new Query(Q, PageNumber));
        return this.PageOrPartial("_GroupRows", Data);
    }

    public sealed record Query(string? Q, int Page) : IQuery<Result>;

    public sealed record Row(Guid Id, string Name, string? Parent, bool IsSuperuser, int Members);

    public sealed record Result(string? Q, Paged<Row> Groups);

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken ct)
        {
            var groups = db.Groups.AsNoTracking();
            if (!string.IsNullOrWhiteSpace(query.Q))
            {
                var like = Paging.LikePattern(query.Q);
                groups = groups.Where(g => EF.Functions.Like(g.Name.ToLower(), like, "\\"));
            }
            var page = await groups.OrderBy(g => g.Name)
                .Select(g => new Row(g.Id, g.Name, g.Parent == null ? null : g.Parent.Name, g.IsSuperuser, g.Users.Count))
                .ToPagedAsync(query.Page, ct: ct);
            return new Result(query.Q, page);
        }
    }
}
