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
    public Paged<Row> Data { get; private set; } = null!;

    public async Task OnGetAsync() => Data = await sender.Send(new Query(PageNumber));

    public sealed record Query(int Page) : IQuery<Paged<Row>>;

    /// <summary>Never the key: only its digest is stored, and the list does not even read that.</summary>
    public sealed record Row(Guid Id, string Identifier, string? UserName, TokenIntent Intent, bool Expiring, DateTime? Expires, string Description)
    {
        public bool Expired => Expiring && Expires is { } e && e <= DateTime.UtcNow;
    }

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, Paged<Row>>
    {
        public async ValueTask<Paged<Row>> Handle(Query query, CancellationToken ct) =>
            await db.Tokens.AsNoTracking().OrderBy(t => t.Identifier)
                .Select(t => new Row(t.Id, t.Identifier, t.User.UserName, t.Intent, t.Expiring, t.Expires, t.Description))
                .ToPagedAsync(query.Page, ct: ct);
    }
}
