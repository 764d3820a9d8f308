using System.Linq.Expressions;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Users;

/// <summary>authentik's <c>User</c> serializer, the fields Enrollment has.</summary>
public sealed record UserJson(
    int Pk, string Username, string Name, string Email, bool IsActive, string Path, UserType Type, JsonObject Attributes,
    IReadOnlyList<Guid> Groups, IReadOnlyList<UserGroupJson> GroupsObj, bool IsSuperuser, DateTime? LastLogin, DateTime DateJoined);

/// <summary>An entry of <c>groups_obj</c>.</summary>
public sealed record UserGroupJson(Guid Pk, string Name, bool IsSuperuser);

/// <summary>What the database gives for one user; <c>is_superuser</c> is added in memory (see <see cref="SuperuserGroups"/>).</summary>
public sealed record UserRow(
    int Pk, string Username, string Name, string Email, bool IsActive, string Path, UserType Type, JsonObject Attributes,
    List<UserGroupJson> Groups, DateTime? LastLogin, DateTime DateJoined)
{
    public static readonly Expression<Func<User, UserRow>> Projection = u => new UserRow(
        u.Id, u.UserName ?? "", u.Name, u.Email ?? "", u.IsActive, u.Path, u.Type, u.Attributes,
        u.Groups.OrderBy(g => g.Name).Select(g => new UserGroupJson(g.Id, g.Name, g.IsSuperuser)).ToList(),
        u.LastLogin, u.DateJoined);

    public UserJson ToJson(SuperuserGroups superuser) => new(
        Pk, Username, Name, Email, IsActive, Path, Type, Attributes,
        Groups.Select(g => g.Pk).ToList(), Groups, Groups.Any(g => superuser.Contains(g.Pk)), LastLogin, DateJoined);
}

/// <summary>
/// The groups that make their members superusers: those with <c>is_superuser</c> and, as in authentik's
/// <c>User.is_superuser</c>, every group below one of them. Group trees are small, so one query for all of them
/// beats a recursive query per user, and works the same on every engine.
/// </summary>
public sealed class SuperuserGroups
{
    private readonly HashSet<Guid> _ids = [];

    public bool Contains(Guid groupId) => _ids.Contains(groupId);

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
