using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Features.Api.Groups;
using Enrollment.Features.Api.Shared;

namespace Enrollment.Features.Api.Users;

/// <summary>
/// authentik's <c>User</c> serializer. Enrollment has no roles (<c>roles</c>, <c>roles_obj</c> are empty) and does not
/// track when a user or its password last changed: <c>last_updated</c> and <c>password_change_date</c> show when the
/// user joined. <c>avatar</c> is empty (no avatar service).
/// </summary>
public sealed record UserJson(
    int Pk, string Username, string Name, bool IsActive, DateTime? LastLogin, DateTime DateJoined, bool IsSuperuser,
    IReadOnlyList<Guid> Groups, IReadOnlyList<PartialGroupJson>? GroupsObj, IReadOnlyList<Guid> Roles, IReadOnlyList<object> RolesObj,
    string Email, string Avatar, JsonObject Attributes, string Uid, string Path, UserType Type, Guid Uuid,
    DateTime PasswordChangeDate, DateTime LastUpdated)
{
    /// <summary>The user as the API shows it; <paramref name="user"/>'s groups must be loaded.</summary>
    public static UserJson Of(User user, SuperuserGroups superuser, bool includeGroups = true)
    {
        var groups = user.Groups.OrderBy(g => g.Name, StringComparer.Ordinal).ToList();
        return new(user.Id, user.UserName ?? "", user.Name, user.IsActive, user.LastLogin, user.DateJoined,
            groups.Any(g => superuser.Contains(g.Id)), groups.Select(g => g.Id).ToList(),
            includeGroups ? groups.Select(PartialGroupJson.Of).ToList() : null, [], [],
            user.Email ?? "", "", user.Attributes, PartialUserJson.UidOf(user.Id), user.Path, user.Type, UserUuid.Of(user.Id),
            user.DateJoined, user.DateJoined);
    }
}
