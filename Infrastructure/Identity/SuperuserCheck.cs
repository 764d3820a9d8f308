using System.Security.Claims;
using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Identity;

/// <summary>
/// Superuser rights come from groups (and their parents) with <c>is_superuser</c>, read on every request so that
/// removing someone from the admin group or deactivating them takes effect at once, not when a cookie expires.
/// </summary>
public sealed class SuperuserCheck(AppDbContext db)
{
    public async Task<bool> IsSuperuserAsync(int userId, CancellationToken ct = default)
    {
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.IsActive, GroupIds = u.Groups.Select(g => g.Id).ToList() })
            .SingleOrDefaultAsync(ct);
        if (user is null || !user.IsActive || user.GroupIds.Count == 0) return false;

        var groups = await db.Groups.AsNoTracking()
            .Select(g => new { g.Id, g.ParentId, g.IsSuperuser })
            .ToDictionaryAsync(g => g.Id, ct);
        foreach (var start in user.GroupIds)
        {
            var seen = new HashSet<Guid>();
            for (var id = (Guid?)start; id is { } current && seen.Add(current) && groups.TryGetValue(current, out var g); id = g.ParentId)
                if (g.IsSuperuser) return true;
        }
        return false;
    }

    public Task<bool> IsSuperuserAsync(ClaimsPrincipal principal, CancellationToken ct = default) =>
        principal.UserId() is { } id
            ? IsSuperuserAsync(id, ct)
            : Task.FromResult(false);
}
