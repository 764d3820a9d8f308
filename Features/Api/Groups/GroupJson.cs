using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Features.Api.Shared;

namespace Enrollment.Features.Api.Groups;

/// <summary>
/// authentik's <c>Group</c> serializer. An Enrollment group has at most one parent (<c>parents</c> holds none or one)
/// and no roles. <c>users_obj</c>, <c>parents_obj</c> and <c>children_obj</c> are null unless asked for with
/// <c>include_users</c> (on by default), <c>include_parents</c>, <c>include_children</c>, as authentik's.
/// </summary>
public sealed record GroupJson(
    Guid Pk, int NumPk, string Name, bool IsSuperuser, IReadOnlyList<Guid> Parents, IReadOnlyList<RelatedGroupJson>? ParentsObj,
    IReadOnlyList<int> Users, IReadOnlyList<PartialUserJson>? UsersObj, JsonObject Attributes, IReadOnlyList<Guid> Roles,
    IReadOnlyList<object> RolesObj, IReadOnlyList<object>? InheritedRolesObj, IReadOnlyList<Guid> Children, IReadOnlyList<RelatedGroupJson>? ChildrenObj);
