using AngleSharp.Html.Dom;
using Enrollment.Domain;

namespace Enrollment.Tests.Kit;

public static partial class FlowKit
{
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
