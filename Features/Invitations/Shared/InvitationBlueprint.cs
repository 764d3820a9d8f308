using System.Text.RegularExpressions;
using Enrollment.Domain;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Blueprints.Models;

namespace Enrollment.Features.Invitations.Shared;

/// <summary>authentik's <c>authentik_stages_invitation.invitation</c>, as blueprints create invitations.</summary>
internal static partial class InvitationBlueprint
{
    public const string Name = "authentik_stages_invitation.invitation";
    private const string FlowModel = "authentik_flows.flow";

    [GeneratedRegex("^[-a-zA-Z0-9_]+$")]
    private static partial Regex NamePattern();

    /// <summary>Counted by enrollments, never imported: saying so beats "unknown field" for a value copied from the API.</summary>
    private static Field<Invitation> ReadOnly(string name) => Fields<Invitation>.Custom(name,
        _ => throw new BlueprintException("is read-only: it follows from the invitation's enrollments and cannot be imported."),
        (_, _, _) => Task.CompletedTask);

    public static IBlueprintModel Model() => new BlueprintModel<Invitation>
    {
        Name = Name,
        New = () => new Invitation { Name = "" },
        PkField = Keys.Guid<Invitation>(x => x.Id),
        GetPk = x => x.Id,
        Fields =
        [
            Fields<Invitation>.Text("name", x => x.Name, required: true, maxLength: 200,
                check: s => NamePattern().IsMatch(s) ? null : "use only letters, digits, '_' and '-'."),
            Fields<Invitation>.Timestamp("expires", x => x.Expires),
            Fields<Invitation>.Reference<Flow>("flow", FlowModel, x => x.FlowId),
            Fields<Invitation>.Flag("single_use", x => x.SingleUse),
            Fields<Invitation>.Json("fixed_data", x => x.FixedData),
            Fields<Invitation>.UserReference("created_by", x => x.CreatedById),
            // Ours: written by exports only when set, so authentik reads our files. single_use and max_uses given
            // together are applied in the entry's order (single use is max uses 1).
            Fields<Invitation>.OptionalNumber("max_uses", x => x.MaxUses, 1, int.MaxValue),
            ReadOnly("uses"), ReadOnly("last_used"), ReadOnly("opens"), ReadOnly("status"),
        ],
        Required = [["name"]],
    };
}
