using System.Linq.Expressions;
using System.Text.Json.Nodes;
using Enrollment.Domain;

namespace Enrollment.Features.Api.Groups;

/// <summary>authentik's <c>Group</c> serializer, the fields Enrollment has. <c>is_superuser</c> is the group's own flag.</summary>
public sealed record GroupJson(Guid Pk, string Name, bool IsSuperuser, Guid? Parent, string? ParentName, JsonObject Attributes, List<int> Users)
{
    public static readonly Expression<Func<Group, GroupJson>> Projection = g => new GroupJson(
        g.Id, g.Name, g.IsSuperuser, g.ParentId, g.Parent != null ? g.Parent.Name : null, g.Attributes,
        g.Users.OrderBy(u => u.Id).Select(u => u.Id).ToList());
}
