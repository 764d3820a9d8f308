using System.Linq.Expressions;
using System.Text.Json.Nodes;
using Enrollment.Domain;

namespace Enrollment.Features.Api.Users;

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
