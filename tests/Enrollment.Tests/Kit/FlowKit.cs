using Enrollment.Domain;

namespace Enrollment.Tests.Kit;

/// <summary>
/// The tests' one kit for flows (<c>using static Enrollment.Tests.Kit.FlowKit;</c>), in parts by topic:
/// <list type="bullet">
/// <item><c>FlowKit.Flows.cs</c>: flows of any shape, stages, prompts, the guide's enrollment flow, invitations;</item>
/// <item><c>FlowKit.Policies.cs</c>: policy bindings and a flow that shows whether it let the visitor in;</item>
/// <item><c>FlowKit.People.cs</c>: users and groups to arrange, signing in, reading back the user a flow wrote;</item>
/// <item><c>FlowKit.Walking.cs</c>: walking a flow as a browser with JavaScript off (GET the stage, post its form back
/// with the page's antiforgery token and hidden <c>stage</c> field) and reading what the flow card shows.</item>
/// </list>
/// </summary>
public static partial class FlowKit
{
    /// <summary>The password every user the kit makes or enrolls has.</summary>
    public const string Password = "Enroll-Tulip-Glacier-58!";

    public static string FlowUrl(string slug) => $"/if/flow/{slug}/";

    public static string FlowUrl(Flow flow) => FlowUrl(flow.Slug);

    /// <summary>The flow's path of a link, without its query (<c>?itoken=…</c>).</summary>
    public static string FlowPath(string link) => link.Split('?')[0];
}
