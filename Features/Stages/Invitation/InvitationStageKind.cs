using Enrollment.Features.Api.Shared;
using Enrollment.Domain;
using System.Text.Json.Nodes;
using Enrollment.Features.Stages.Shared;
using Enrollment.Infrastructure.Blueprints.Models;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;

namespace Enrollment.Features.Stages.Invitation;

public sealed class InvitationStageKind : StageKind<InvitationStage, InvitationStageForm>
{
    public const string WireName = "invitation";

    public override string Name => WireName;
    public override string Label => "Invitation stage";
    public override string Description => "Checks the invitation link and pre-fills the prompts with its fixed data.";
    public override string AppLabel => "authentik_stages_invitation";
    public override int Order => 10;
    public override Type ExecutorType => typeof(InvitationStageExecutor);
    public override string FieldsPartial => "/Features/Stages/Invitation/_InvitationFields.cshtml";

    protected override InvitationStage Create() => new() { Name = "" };

    protected override void Read(InvitationStage stage, InvitationStageForm form) =>
        form.ContinueFlowWithoutInvitation = stage.ContinueFlowWithoutInvitation;

    protected override Task<IReadOnlyList<FieldError>> WriteAsync(AppDbContext db, InvitationStageForm form, InvitationStage stage, CancellationToken ct)
    {
        stage.ContinueFlowWithoutInvitation = form.ContinueFlowWithoutInvitation;
        return NoErrors();
    }

    public override string ApiPath => "/stages/invitation/stages/";

    private static readonly FilterSet<InvitationStage> Filters = new FilterSet<InvitationStage>()
        .Flag("continue_flow_without_invitation", x => x.ContinueFlowWithoutInvitation)
        .Custom("no_flows", (items, value, errors) => Api.Shared.Filters.Boolean(value, "no_flows", errors) switch
        {
            true => items.Where(x => !x.Bindings.Any()),
            false => items.Where(x => x.Bindings.Any()),
            null => items,
        });

    protected override FilterSet<InvitationStage>? ApiFilters => Filters;

    public override IReadOnlyList<string> ApiFields => ["continue_flow_without_invitation"];

    public override void WriteApi(Stage stage, JsonObject json)
    {
        var x = (InvitationStage)stage;
        json["continue_flow_without_invitation"] = x.ContinueFlowWithoutInvitation;
    }

    private IBlueprintModel? blueprint;

    public override IBlueprintModel Blueprint => blueprint ??= StageBlueprint.Model<InvitationStage>(this,
    [
        Fields<InvitationStage>.Flag("continue_flow_without_invitation", x => x.ContinueFlowWithoutInvitation),
    ]);
}
