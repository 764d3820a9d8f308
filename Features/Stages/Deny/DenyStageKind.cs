using Enrollment.Features.Api.Shared;
using Enrollment.Domain;
using System.Text.Json.Nodes;
using Enrollment.Features.Stages.Shared;
using Enrollment.Infrastructure.Blueprints.Models;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;

namespace Enrollment.Features.Stages.Deny;

public sealed class DenyStageKind : StageKind<DenyStage, DenyStageForm>
{
    public const string WireName = "deny";

    public override string Name => WireName;
    public override string Label => "Deny stage";
    public override string Description => "Ends the flow with a message; bound with a policy, it stops only some invitees.";
    public override string AppLabel => "authentik_stages_deny";
    public override int Order => 60;
    public override Type ExecutorType => typeof(DenyStageExecutor);
    public override string FieldsPartial => "/Features/Stages/Deny/_DenyFields.cshtml";

    protected override DenyStage Create() => new() { Name = "" };

    protected override void Read(DenyStage stage, DenyStageForm form) => form.DenyMessage = stage.DenyMessage;

    protected override Task<IReadOnlyList<FieldError>> WriteAsync(AppDbContext db, DenyStageForm form, DenyStage stage, CancellationToken ct)
    {
        stage.DenyMessage = string.IsNullOrWhiteSpace(form.DenyMessage) ? DenyStage.DefaultMessage : form.DenyMessage.Trim();
        return NoErrors();
    }

    private static readonly FilterSet<DenyStage> Filters = new FilterSet<DenyStage>().Text("deny_message", x => x.DenyMessage);

    protected override FilterSet<DenyStage>? ApiFilters => Filters;

    public override IReadOnlyList<string> ApiFields => ["deny_message"];

    public override void WriteApi(Stage stage, JsonObject json)
    {
        var x = (DenyStage)stage;
        json["deny_message"] = x.DenyMessage;
    }

    private IBlueprintModel? blueprint;

    public override IBlueprintModel Blueprint => blueprint ??= StageBlueprint.Model<DenyStage>(this,
    [
        Fields<DenyStage>.Text("deny_message", x => x.DenyMessage, maxLength: DenyStageForm.MaxMessageLength),
    ]);
}
