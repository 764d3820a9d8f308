using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Tokens.ListTokens;

public sealed class ListTokens(ISender sender) : PageModel
{
    [FromQuery(Name = "page")] public int PageNumber { get; set; } = 1;
    [FromQuery(Name = "q")] public string? Q { get; set; }
    public Paged<Row> Data { get; private set; } = null!;

    public async Task OnGetAsync() => Data = await sender.Send(new Query(Q, PageNumber));

    public sealed record Query(string? Q, int Page) : IQuery<Paged<Row>>;

    /// <summary>Never the key: only its digest is stored, and the list does not even read that.</summary>
    public sealed record Row(Guid Id, string Identifier, string? UserName, TokenIntent Intent, bool Expiring, DateTime? Expires, string Description)
    {
        public bool Expired => Expiring && Expires is { } e && e <= DateTime.UtcNow;
    }

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, Paged<Row>>
    {
        public async ValueTask<Paged<Row>> Handle(Query query, CancellationToken ct)
        {
            var tokens = db.Tokens.AsNoTracking();
            if (!string.IsNullOrWhiteSpace(query.Q))
            {
                var like = Paging.LikePattern(query.Q);
                tokens = tokens.Where(t => EF.Functions.Like(t.Identifier.ToLower(), like, "\\")
                    || EF.Functions.Like(t.Description.ToLower(), like, "\\")
                    || EF.Functions.Like(t.User.UserName!.ToLower(), like, "\\"));
            }
            return await tokens.OrderBy(t => t.Identifier)
                .Select(t => new Row(t.Id, t.Identifier, t.User.UserName, t.Intent, t.Expiring, t.Expires, t.Description))
                .ToPagedAsync(query.Page, ct: ct);
        }
    }
}
