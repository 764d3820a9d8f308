using Enrollment.Features.Policies.Shared;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Policies.ListPolicies;

public sealed class ListPolicies(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [FromQuery(Name = "page")] public int PageNumber { get; set; } = 1;
    public Result Data { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        Data = await sender.Send(new Query(Q, PageNumber));
        return this.PageOrPartial("_PolicyRows", Data);
    }

    public sealed record Query(string? Q, int Page) : IQuery<Result>;

    /// <param name="Kind">The discriminator ("expression", "password").</param>
    public sealed record Row(Guid Id, string Name, string Kind, int Bindings, PolicyUsage Usage);

    public sealed record Result(string? Q, Paged<Row> Policies);

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken ct)
        {
            var policies = db.Policies.AsNoTracking();
            if (!string.IsNullOrWhiteSpace(query.Q))
            {
                var like = Paging.LikePattern(query.Q);
                policies = policies.Where(p => EF.Functions.Like(p.Name.ToLower(), like, "\\"));
            }
            var page = await policies.OrderBy(p => p.Name)
                .Select(p => new { p.Id, p.Name, Kind = EF.Property<string>(p, "kind"), Bindings = db.PolicyBindings.Count(b => b.PolicyId == p.Id) })
                .ToPagedAsync(query.Page, ct: ct);
            var usage = await PolicyUsage.LoadAsync(db, page.Items.Select(p => p.Id).ToList(), ct);
            var rows = page.Items.Select(p => new Row(p.Id, p.Name, p.Kind, p.Bindings, usage[p.Id])).ToList();
            return new Result(query.Q, new Paged<Row>(rows, page.Page, page.PageSize, page.Total));
        }
    }

    public static string KindLabel(string kind) => PolicyKinds.Label(kind);
}
