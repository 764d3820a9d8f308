using System.Text.Json.Nodes;
using Enrollment.Domain;

namespace Enrollment.Features.Api.Groups;

/// <summary>authentik's <c>RelatedGroup</c>: a group's parent or child in <c>parents_obj</c>/<c>children_obj</c>.</summary>
public sealed record RelatedGroupJson(Guid Pk, string Name, bool IsSuperuser, JsonObject Attributes, Guid GroupUuid)
{
    public static RelatedGroupJson Of(Group g) => new(g.Id, g.Name, g.IsSuperuser, g.Attributes, g.Id);
}
