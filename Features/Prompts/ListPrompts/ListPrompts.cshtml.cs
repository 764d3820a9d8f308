using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

using Enrollment.Features.Stages.Prompt;

namespace Enrollment.Features.Prompts.ListPrompts;

public sealed class ListPrompts(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [FromQuery(Name = "page")] public int PageNumber { get; set; } = 1;
    public Result Data { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        Data = await sender.Send(new Query(Q, PageNumber));
        return this.PageOrPartial("_PromptRows", Data);
    }

    public sealed record Query(string? Q, int Page) : IQuery<Result>;

    public sealed record StageLink(Guid Id, string Name);

    public sealed record Row(Guid Id, string Name, string FieldKey, PromptType Type, string Label, bool Required, int Order, IReadOnlyList<StageLink> Stages);

    public sealed record Result(string? Q, Paged<Row> Prompts);

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken ct)
        {
            var prompts = db.Prompts.AsNoTracking();
            if (!string.IsNullOrWhiteSpace(query.Q))
            {
                var like = Paging.LikePattern(query.Q);
                prompts = prompts.Where(p => EF.Functions.Like(p.Name.ToLower(), like, "\\")
                    || EF.Functions.Like(p.FieldKey.ToLower(), like, "\\") || EF.Functions.Like(p.Label.ToLower(), like, "\\"));
            }
            var page = await prompts.OrderBy(p => p.Name)
                .Select(p => new { p.Id, p.Name, p.FieldKey, p.Type, p.Label, p.Required, p.Order })
                .ToPagedAsync(query.Page, ct: ct);
            // A second query rather than a correlated collection, which SQLite cannot run (no APPLY).
            var ids = page.Items.Select(p => p.Id).ToList();
            var stages = (await PromptStageKind.Showing(db, ids).AsNoTracking().ToListAsync(ct))
                .OrderBy(s => s.StageName).ToLookup(s => s.UsedId, s => new StageLink(s.StageId, s.StageName));
            var rows = page.Items.Select(p => new Row(p.Id, p.Name, p.FieldKey, p.Type, p.Label, p.Required, p.Order, stages[p.Id].ToList())).ToList();
            return new Result(query.Q, new Paged<Row>(rows, page.Page, page.PageSize, page.Total));
        }
    }
}
