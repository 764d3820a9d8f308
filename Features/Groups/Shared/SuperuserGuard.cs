using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Groups.Shared;

/// <summary>
/// Group changes that would leave no active superuser are refused: nobody could reach the admin to undo them.
/// The check replays the change on the group tree in memory, with rights inherited from parents as
/// <see cref="Infrastructure.Identity.SuperuserCheck"/> reads them.
/// </summary>
internal static class SuperuserGuard
{
    public const string Refusal = "This would leave no active superuser, and nobody could sign in to the admin any more. Make someone else a superuser first.";

    public sealed record Node(Guid? ParentId, bool IsSuperuser);

    public static async Task<bool> AnyActiveSuperuserAfterAsync(AppDbContext db, CancellationToken ct,
        Action<Dictionary<Guid, Node>>? changeGroups = null, (int UserId, Guid GroupId)? leaving = null)
    {
        var groups = (await db.Groups.AsNoTracking().Select(g => new { g.Id, g.ParentId, g.IsSuperuser }).ToListAsync(ct))
            .ToDictionary(g => g.Id, g => new Node(g.ParentId, g.IsSuperuser));
        changeGroups?.Invoke(groups);
        var superGroups = groups.Keys.Where(id => GrantsSuperuser(groups, id)).ToList();
        var memberships = await db.Groups.AsNoTracking().Where(g => superGroups.Contains(g.Id))
            .SelectMany(g => g.Users.Where(u => u.IsActive), (g, u) => new { UserId = u.Id, GroupId = g.Id })
            .ToListAsync(ct);
        return memberships.Any(m => leaving is not { } l || m.UserId != l.UserId || m.GroupId != l.GroupId);
    }

    private static bool GrantsSuperuser(Dictionary<Guid, Node> groups, Guid start)
    {
        var seen = new HashSet<Guid>();
        for (Guid? id = start; id is { } current && seen.Add(current) && groups.TryGetValue(current, out var g); id = g.ParentId)
            if (g.IsSuperuser) return true;
        return false;
    }
}
