using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Invitations.Shared;

/// <summary>The group checkboxes of invitation forms: every group, by name.</summary>
public sealed record GroupChoices : IQuery<IReadOnlyList<GroupChoices.Choice>>
{
    public sealed record Choice(Guid Id, string Name);

    /// <summary>The choices, for a handler that answers them with more (the edit page's query).</summary>
    public static async Task<IReadOnlyList<Choice>> LoadAsync(AppDbContext db, CancellationToken ct) =>
        await db.Groups.AsNoTracking().OrderBy(g => g.Name).Select(g => new Choice(g.Id, g.Name)).ToListAsync(ct);

    internal sealed class Handler(AppDbContext db) : IQueryHandler<GroupChoices, IReadOnlyList<Choice>>
    {
        public async ValueTask<IReadOnlyList<Choice>> Handle(GroupChoices query, CancellationToken ct) => await LoadAsync(db, ct);
    }
}
