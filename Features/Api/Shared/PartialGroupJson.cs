using System.Text.Json.Nodes;
using Enrollment.Domain;

namespace Enrollment.Features.Api.Shared;

/// <summary>authentik's <c>PartialGroup</c>: a group as other objects show it.</summary>
public sealed record PartialGroupJson(Guid Pk, int NumPk, string Name, bool IsSuperuser, JsonObject Attributes)
{
    public static PartialGroupJson Of(Group g) => new(g.Id, NumPkOf(g.Id), g.Name, g.IsSuperuser, g.Attributes);

    /// <summary>authentik's <c>num_pk</c>, "a numerical, int32 ID for the group": here derived from the uuid, stable and non-negative.</summary>
    public static int NumPkOf(Guid pk) => BitConverter.ToInt32(pk.ToByteArray(), 0) & int.MaxValue;
}
