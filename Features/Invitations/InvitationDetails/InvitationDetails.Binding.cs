using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Invitations.InvitationDetails;

/// <summary>What the invitation binds its users to (<c>_Binding</c>): the groups they join, the address or domains they must use.</summary>
public sealed partial class InvitationDetails
{
    public BindingView Binding { get; private set; } = null!;

    public sealed record BindingQuery(Guid InvitationId) : IQuery<BindingView>;

    /// <param name="Groups">Names of the groups that exist, by name.</param>
    /// <param name="MissingGroups">Pks of groups deleted since the invitation was made: skipped at enrollment.</param>
    public sealed record BindingView(IReadOnlyList<string> Groups, IReadOnlyList<Guid> MissingGroups, string? Email, IReadOnlyList<string> EmailDomains);

    internal sealed class BindingHandler(AppDbContext db) : IQueryHandler<BindingQuery, BindingView>
    {
        public async ValueTask<BindingView> Handle(BindingQuery query, CancellationToken ct)
        {
            var i = await db.Invitations.AsNoTracking().Where(x => x.Id == query.InvitationId)
                .Select(x => new { x.Email, x.EmailDomains, Groups = x.Groups.Select(g => g.GroupId).ToList() }).SingleOrDefaultAsync(ct);
            if (i is null) return new BindingView([], [], null, []);
            var found = await db.Groups.AsNoTracking().Where(g => i.Groups.Contains(g.Id)).OrderBy(g => g.Name).Select(g => new { g.Id, g.Name }).ToListAsync(ct);
            return new BindingView(found.Select(g => g.Name).ToList(), i.Groups.Except(found.Select(g => g.Id)).ToList(), i.Email, i.EmailDomains);
        }
    }
}
