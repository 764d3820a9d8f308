using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Users;

/// <summary>
/// The groups that make their members superusers: those with <c>is_superuser</c> and, as in authentik's
/// <c>User.is_superuser</c>, every group below one of them. Group trees are small, so one query for all of them
/// beats a recursive query per user, and works the same on every engine.
/// </summary>
public sealed class SuperuserGroups
{
    private readonly HashSet<Guid> _ids = [];

    public bool Contains(Guid groupId) => _ids.Contains(groupId);

    public IReadOnlyCollection<Guid> Ids => _ids;

    public static async Task<SuperuserGroups> LoadAsync(AppDbContext db, CancellationToken ct)
    {
        var groups = await db.Groups.AsNoTracking().Select(g => new { g.Id, g.ParentId, g.IsSuperuser }).ToDictionaryAsync(g => g.Id, ct);
        var result = new SuperuserGroups();
        foreach (var start in groups.Keys)
        {
            // `seen` stops at a cycle in the parent links rather than looping forever.
            var seen = new HashSet<Guid>();
            for (var id = (Guid?)start; id is { } current && seen.Add(current) && groups.TryGetValue(current, out var g); id = g.ParentId)
                if (g.IsSuperuser) { result._ids.Add(start); break; }
        }
        return result;
    }
}
