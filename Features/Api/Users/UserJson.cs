using System.Text.Json.Nodes;
using Enrollment.Domain;

namespace Enrollment.Features.Api.Users;

/// <summary>authentik's <c>User</c> serializer, the fields Enrollment has.</summary>
public sealed record UserJson(
    int Pk, string Username, string Name, string Email, bool IsActive, string Path, UserType Type, JsonObject Attributes,
    IReadOnlyList<Guid> Groups, IReadOnlyList<UserGroupJson> GroupsObj, bool IsSuperuser, DateTime? LastLogin, DateTime DateJoined);
