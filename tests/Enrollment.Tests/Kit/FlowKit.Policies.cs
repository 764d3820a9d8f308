using AngleSharp.Html.Dom;
using Enrollment.Domain;

namespace Enrollment.Tests.Kit;

public static partial class FlowKit
{
    // The three snippets of authentik's documentation on invitation-based enrollment, verbatim.
    public const string InvitedSnippet = "return context.get('invitation_in_effect', False)";
    public const string DepartmentSnippet = "invitation = context.get('invitation')\nreturn invitation.fixed_data.get('department') == 'Engineering'";
    public const string EmailSnippet = "prompt_data = context.get('prompt_data', {})\nreturn prompt_data.get('email', '').endswith('@example.com')";

    public static ExpressionPolicy Policy(string name, string expression = "return True") => new() { Name = name, Expression = expression };

    /// <summary>Saves <paramref name="binding"/> (of a policy, group or user, to a flow or a stage binding).</summary>
    public static async Task BindAsync(EnrollmentApp app, PolicyBinding binding)
    {
        await app.DbAsync(db => { db.PolicyBindings.Add(binding); return db.SaveChangesAsync(); });
    }

    /// <summary>A flow whose only stage asks for <c>attributes.note</c>: seeing that field means the flow was allowed (<see cref="Allowed"/>).</summary>
    public static async Task<Flow> GuardedFlowAsync(EnrollmentApp app, string slug, Action<Flow>? configure = null) =>
        (await FlowAsync(app, slug, [PromptStageOf($"{slug}-prompts", Field(slug, "attributes.note"))], configure)).Flow;

    /// <summary>The page shows the stage of a <see cref="GuardedFlowAsync"/> flow: its policies let the visitor in.</summary>
    public static bool Allowed(IHtmlDocument page) => page.QuerySelector("#flow-card input[name='attributes.note']") is not null;
}
