using System.Text.RegularExpressions;
using Enrollment.Domain;

namespace Enrollment.Infrastructure.Blueprints.Models;

/// <summary><c>authentik_flows.*</c>: flows and their stage bindings.</summary>
internal static partial class FlowModels
{
    public const string Flow = "authentik_flows.flow";
    public const string Binding = "authentik_flows.flowstagebinding";

    [GeneratedRegex("^[-a-zA-Z0-9_]+$")]
    private static partial Regex SlugPattern();

    public static IBlueprintModel FlowModel() => new BlueprintModel<Flow>
    {
        Name = Flow,
        New = () => new Flow { Name = "", Slug = "" },
        PkField = Keys.Guid<Flow>(x => x.Id),
        GetPk = x => x.Id,
        Fields =
        [
            Fields<Flow>.Text("slug", x => x.Slug, required: true, maxLength: 50,
                check: s => SlugPattern().IsMatch(s) ? null : "use only letters, digits, '-' and '_'."),
            Fields<Flow>.Text("name", x => x.Name, required: true, maxLength: 200),
            Fields<Flow>.Text("title", x => x.Title, maxLength: 200),
            Fields<Flow>.Choice("designation", x => x.Designation),
            Fields<Flow>.Choice("authentication", x => x.Authentication),
            Fields<Flow>.Choice("denied_action", x => x.DeniedAction),
            Fields<Flow>.Choice("layout", x => x.Layout),
            Fields<Flow>.Choice("policy_engine_mode", x => x.PolicyEngineMode),
        ],
        Ignored = new HashSet<string> { "compatibility_mode", "background", "icon" },
        Required = [["slug"], ["name"], ["title"], ["designation"]],
        Identifiers = ["slug"],
        ExportId = _ => "flow",
        SortBy = x => x.Slug,
    };

    public static IBlueprintModel BindingModel() => new BlueprintModel<FlowStageBinding>
    {
        Name = Binding,
        New = () => new FlowStageBinding(),
        PkField = Keys.Guid<FlowStageBinding>(x => x.Id),
        GetPk = x => x.Id,
        Fields =
        [
            Fields<FlowStageBinding>.RequiredReference<Flow>("target", Flow, x => x.FlowId),
            Fields<FlowStageBinding>.RequiredReference<Stage>("stage", "stage", x => x.StageId),
            Fields<FlowStageBinding>.Number("order", x => x.Order),
            Fields<FlowStageBinding>.Flag("evaluate_on_plan", x => x.EvaluateOnPlan),
            Fields<FlowStageBinding>.Flag("re_evaluate_policies", x => x.ReEvaluatePolicies),
            Fields<FlowStageBinding>.Choice("invalid_response_action", x => x.InvalidResponseAction),
            Fields<FlowStageBinding>.Choice("policy_engine_mode", x => x.PolicyEngineMode),
        ],
        Required = [["target"], ["stage"], ["order"]],
        Identifiers = ["target", "stage", "order"],
        ExportId = x => $"binding-{x.Order}-{x.Stage.Name}",
    };
}
