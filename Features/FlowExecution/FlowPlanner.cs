using Enrollment.Infrastructure.Web;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;

using Enrollment.Infrastructure.FlowExecution;
using Enrollment.Infrastructure.Telemetry;
using Enrollment.Resources;
using Microsoft.Extensions.Localization;

namespace Enrollment.Features.FlowExecution;

/// <summary>
/// Plans a flow as authentik does: the flow's <c>authentication</c> requirement, then the policies bound to the
/// flow (denied per <c>denied_action</c>), then the stage bindings in order, leaving out silently those with
/// <c>evaluate_on_plan</c> whose policies fail.
/// </summary>
public sealed class FlowPlanner(PolicyEngine policies, SuperuserCheck superuser, FlowPlanStore store, EnrollmentMetrics metrics, IStringLocalizer<FlowTexts> t)
{
    public async Task<PlanResult> PlanAsync(FlowDefinition definition, HttpContext http, CancellationToken ct)
    {
        var flow = definition.Flow;
        var userId = http.User.UserId();
        var context = new PlanContext(new JsonObject { ["query"] = QueryOf(http.Request) });
        if (await AuthenticationProblemAsync(flow, userId, context, ct) is { } problem)
        {
            metrics.FlowDenied(flow.Slug);
            return new(null, problem);
        }

        var request = new PolicyRequest(userId, context);
        var flowResult = await policies.EvaluateAsync(definition.FlowPolicies, flow.PolicyEngineMode, request, ct);
        if (!flowResult.Passing)
        {
            metrics.FlowDenied(flow.Slug);
            // authentik: continue and message_continue follow a (relative) ?next=; continue goes home without one;
            // message and message_continue without one show the policies' messages.
            if (flow.DeniedAction != DeniedAction.Message && SafeNext(context) is { } next) return new(null, null, next);
            if (flow.DeniedAction == DeniedAction.Continue) return new(null, null, "/");
            return new(null, DeniedMessage(flowResult));
        }

        var planned = new List<Guid>();
        foreach (var b in definition.Bindings)
        {
            if (b.EvaluateOnPlan && !(await policies.EvaluateAsync(b.PolicyBindings, b.PolicyEngineMode, request, ct)).Passing)
                continue;
            planned.Add(b.Id);
        }
        metrics.FlowStarted(flow.Slug);
        return new(store.Add(flow, planned, context.Data), null);
    }

    /// <summary>
    /// The policies' <c>ak_message</c> texts (the admins' own words, as written) after a general sentence; never an
    /// error's details (those go to Events).
    /// </summary>
    private string DeniedMessage(PolicyResult result) =>
        string.Join(" ", result.Messages.Prepend(t[PolicyMessages.NotAllowed].Value).Concat(result.Errored ? [t[PolicyMessages.CouldNotCheck].Value] : []));

    private async Task<string?> AuthenticationProblemAsync(Flow flow, int? userId, PlanContext context, CancellationToken ct) => flow.Authentication switch
    {
        FlowAuthentication.RequireAuthenticated when userId is null => t["You need to sign in before you can use this page."],
        FlowAuthentication.RequireUnauthenticated when userId is not null => t["You are already signed in. Sign out first, then open the link again."],
        FlowAuthentication.RequireSuperuser when userId is null || !await superuser.IsSuperuserAsync(userId.Value, ct) => t["Only administrators can use this page."],
        FlowAuthentication.RequireRedirect when context.Query("next") is null => t["This page can only be reached from another application."],
        FlowAuthentication.RequireOutpost => t["This page can only be used through an outpost."],
        _ => null,
    };

    private static JsonObject QueryOf(HttpRequest request)
    {
        var query = new JsonObject();
        foreach (var (key, value) in request.Query.Take(20)) query[key] = value.ToString() is { Length: <= 2000 } v ? v : null;
        return query;
    }

    /// <summary>Only local paths are followed, never another site (no open redirects).</summary>
    public static string? SafeNext(PlanContext context) => LocalUrl.SafeOrNull(context.Query("next"));
}
