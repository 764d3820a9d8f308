using System.Text.Json.Nodes;
using Enrollment.Domain;

namespace Enrollment.Features.Api.Groups;

/// <summary>authentik's <c>PartialGroup</c>: a group as a user's <c>groups_obj</c> shows it.</summary>
public sealed record PartialGroupJson(Guid Pk, int NumPk, string Name, bool IsSuperuser, JsonObject Attributes)
{
    public static PartialGroupJson Of(Group g) => new(g.Id, GroupNumber.Of(g.Id), g.Name, g.IsSuperuser, g.Attributes);
}
