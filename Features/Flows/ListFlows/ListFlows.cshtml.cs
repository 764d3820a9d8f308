using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Flows.ListFlows;

public sealed class ListFlows(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [FromQuery(Name = "page")] public int PageNumber { get; set; } = 1;
    public Result Data { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        Data = await sender.Send(new Query(Q, PageNumber));
        return this.PageOrPartial("_FlowRows", Data);
    }

    public sealed record Query(string? Q, int Page) : IQuery<Result>;

    public sealed record Row(string Name, string Slug, string Title, FlowDesignation Designation, int Stages, int Invitations);

    public sealed record Result(string? Q, Paged<Row> Flows);

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken ct)
        {
            var flows = db.Flows.AsNoTracking();
            if (!string.IsNullOrWhiteSpace(query.Q))
            {
                var like = Paging.LikePattern(query.Q);
                flows = flows.Where(f => EF.Functions.Like(f.Name.ToLower(), like, "\\") || EF.Functions.Like(f.Slug.ToLower(), like, "\\"));
            }
            var page = await flows.OrderBy(f => f.Slug)
                .Select(f => new Row(f.Name, f.Slug, f.Title, f.Designation, f.Bindings.Count, db.Invitations.Count(i => i.FlowId == f.Id)))
                .ToPagedAsync(query.Page, ct: ct);
            return new Result(query.Q, page);
        }
    }
}
