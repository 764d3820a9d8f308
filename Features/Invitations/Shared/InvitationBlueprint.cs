using System.Text.RegularExpressions;
using Enrollment.Domain;
using Enrollment.Infrastructure.Blueprints.Models;

namespace Enrollment.Features.Invitations.Shared;

/// <summary>authentik's <c>authentik_stages_invitation.invitation</c>, as blueprints create invitations.</summary>
internal static partial class InvitationBlueprint
{
    public const string Name = "authentik_stages_invitation.invitation";
    private const string FlowModel = "authentik_flows.flow";

    [GeneratedRegex("^[-a-zA-Z0-9_]+$")]
    private static partial Regex NamePattern();

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
        ],
        Required = [["name"]],
    };
}
