using Enrollment.Infrastructure.Serialization;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Groups.Shared;

/// <summary>The groups a group may take as its parent: all but itself and its descendants, which would make a cycle.</summary>
public sealed record ParentChoices(Guid? Editing) : IQuery<IReadOnlyList<SelectListItem>>
{
    internal sealed class Handler(AppDbContext db) : IQueryHandler<ParentChoices, IReadOnlyList<SelectListItem>>
    {
        public async ValueTask<IReadOnlyList<SelectListItem>> Handle(ParentChoices query, CancellationToken ct)
        {
            var groups = await db.Groups.AsNoTracking().OrderBy(g => g.Name).Select(g => new { g.Id, g.ParentId, g.Name }).ToListAsync(ct);
            var parents = groups.ToDictionary(g => g.Id, g => g.ParentId);
            return groups
                .Where(g => query.Editing is not { } self || !GroupTree.SelfAndAncestors(parents, g.Id).Contains(self))
                .Select(g => new SelectListItem(g.Name, g.Id.ToString()))
                .Prepend(new SelectListItem("--------- (no parent)", ""))
                .ToList();
        }
    }
}
