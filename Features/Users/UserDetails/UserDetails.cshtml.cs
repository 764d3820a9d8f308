using Enrollment.Infrastructure.Serialization;
using System.Text.Json;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Users.UserDetails;

public sealed class UserDetails(ISender sender) : PageModel
{
    [FromRoute] public int Id { get; set; }
    public Details Data { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        var data = await sender.Send(new Query(Id));
        if (data is null) return NotFound();
        Data = data;
        return Page();
    }

    public sealed record Query(int Id) : IQuery<Details?>;

    public sealed record GroupRow(Guid Id, string Name, bool IsSuperuser);

    public sealed record Details(int Id, string UserName, string Name, string? Email, bool IsActive, UserType Type, string Path,
        DateTime DateJoined, DateTime? LastLogin, IReadOnlyList<GroupRow> Groups, string AttributesJson);

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, Details?>
    {
        public async ValueTask<Details?> Handle(Query query, CancellationToken ct)
        {
            var u = await db.Users.AsNoTracking().Where(u => u.Id == query.Id)
                .Select(u => new
                {
                    u.Id, u.UserName, u.Name, u.Email, u.IsActive, u.Type, u.Path, u.DateJoined, u.LastLogin, u.Attributes,
                    Groups = u.Groups.OrderBy(g => g.Name).Select(g => new GroupRow(g.Id, g.Name, g.IsSuperuser)).ToList(),
                })
                .SingleOrDefaultAsync(ct);
            return u is null ? null : new Details(u.Id, u.UserName!, u.Name, u.Email, u.IsActive, u.Type, u.Path,
                u.DateJoined, u.LastLogin, u.Groups, StructuredText.Format(u.Attributes));
        }
    }
}
