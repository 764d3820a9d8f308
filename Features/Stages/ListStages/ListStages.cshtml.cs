using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Stages.ListStages;

public sealed class ListStages(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [FromQuery(Name = "page")] public int PageNumber { get; set; } = 1;
    public Result Data { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        Data = await sender.Send(new Query(Q, PageNumber));
        return this.PageOrPartial("_StageRows", Data);
    }

    public sealed record Query(string? Q, int Page) : IQuery<Result>;

    public sealed record FlowLink(string Name, string Slug);

    /// <param name="Kind">The wire name of the kind, as stored in the discriminator.</param>
    public sealed record Row(Guid Id, string Name, string Kind, IReadOnlyList<FlowLink> Flows);

    public sealed record Result(string? Q, Paged<Row> Stages);

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken ct)
        {
            var stages = db.Stages.AsNoTracking();
            if (!string.IsNullOrWhiteSpace(query.Q))
            {
                var like = Paging.LikePattern(query.Q);
                stages = stages.Where(s => EF.Functions.Like(s.Name.ToLower(), like, "\\"));
            }
            var page = await stages.OrderBy(s => s.Name)
                .Select(s => new { s.Id, s.Name, Kind = EF.Property<string>(s, "kind") })
                .ToPagedAsync(query.Page, ct: ct);
            // A second query rather than a correlated collection, which SQLite cannot run (no APPLY).
            var ids = page.Items.Select(s => s.Id).ToList();
            var flows = (await db.FlowStageBindings.AsNoTracking().Where(b => ids.Contains(b.StageId))
                    .Select(b => new { b.StageId, b.Flow.Name, b.Flow.Slug }).Distinct().ToListAsync(ct))
                .OrderBy(f => f.Name).ToLookup(f => f.StageId, f => new FlowLink(f.Name, f.Slug));
            var rows = page.Items.Select(s => new Row(s.Id, s.Name, s.Kind, flows[s.Id].ToList())).ToList();
            return new Result(query.Q, new Paged<Row>(rows, page.Page, page.PageSize, page.Total));
        }
    }
}
