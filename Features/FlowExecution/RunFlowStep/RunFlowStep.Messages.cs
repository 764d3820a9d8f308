using Enrollment.Domain;
using Enrollment.Infrastructure.FlowExecution;
using Mediator;
using Enrollment.Resources;
using Microsoft.Extensions.Localization;

namespace Enrollment.Features.FlowExecution.RunFlowStep;

/// <summary>The flow page's messages: show the current stage (GET), submit it (POST).</summary>
public sealed partial class RunFlowStep
{
    /// <summary>GET: show the current stage, planning the flow first when this browser has no plan for it; or open a stage's link.</summary>
    public sealed record ShowStep(string Slug, IQueryCollection Query) : IQuery<StepResult>;

    /// <summary>POST: submit the current stage's form.</summary>
    public sealed record SubmitStep(string Slug, Guid? BindingId, IFormCollection Form) : ICommand<StepResult>;

    internal sealed class ShowStepHandler(FlowPlanStore store, FlowPlanner planner, FlowRunner runner, IHttpContextAccessor http, IEnumerable<IFlowLink> links)
        : IQueryHandler<ShowStep, StepResult>
    {
        public async ValueTask<StepResult> Handle(ShowStep query, CancellationToken ct)
        {
            foreach (var link in links)
                if (query.Query.TryGetValue(link.Key, out var token)) return await link.OpenAsync(query.Slug, token.ToString(), ct);
            var context = http.HttpContext!;
            if (await store.LoadAsync(query.Slug, ct) is not { } found) return new StepResult.NotFound();
            var (definition, plan) = found;
            var flow = definition.Flow;
            if (plan is not null && StartsAnotherRun(plan, context.Request))
            {
                await store.RemoveAsync(plan, ct);
                plan = null;
            }
            // A request that queued behind the one finishing this browser's plan (a refresh) goes where that one went.
            if (plan is null && store.FinishedAt is { } finished && !OpensALink(context.Request)) return new StepResult.Redirect(finished);
            if (plan is null)
            {
                var planned = await planner.PlanAsync(definition, context, ct);
                if (planned.RedirectTo is { } to) return new StepResult.Redirect(to);
                if (planned.Plan is null) return new StepResult.Denied(FlowRunner.Title(flow), planned.Denied!);
                plan = planned.Plan;
            }
            return await runner.AdvanceAsync(definition, plan, context, ct);
        }

        private static bool OpensALink(HttpRequest request) => request.Query.ContainsKey("itoken") || request.Query.ContainsKey("token");

        /// <summary>A link with another invitation token than the running plan's starts over (a second invitation in one browser).</summary>
        private static bool StartsAnotherRun(FlowPlan plan, HttpRequest request)
        {
            var context = new PlanContext(plan.Context);
            foreach (var key in new[] { "itoken", "token" })
                if (request.Query.TryGetValue(key, out var value) && value.ToString() != context.Query(key)) return true;
            return false;
        }
    }

    internal sealed class SubmitStepHandler(FlowPlanStore store, FlowPlanner planner, FlowRunner runner, IHttpContextAccessor http, IEnumerable<IFlowLink> links,
        IStringLocalizer<FlowTexts> t)
        : ICommandHandler<SubmitStep, StepResult>
    {
        public const string Expired = "This sign-up session has ended or expired. Open your invitation link again to start over.";

        public async ValueTask<StepResult> Handle(SubmitStep command, CancellationToken ct)
        {
            foreach (var link in links)
                if (command.Form.TryGetValue(link.Key, out var token)) return await link.ConfirmAsync(command.Slug, token.ToString(), ct);
            var context = http.HttpContext!;
            if (await store.LoadAsync(command.Slug, ct) is not var (definition, loaded)) return new StepResult.NotFound();
            var flow = definition.Flow;
            var self = $"/if/flow/{Uri.EscapeDataString(flow.Slug)}/";
            if (loaded is not { } plan)
            {
                // A double submit: the first submission finished the flow while this one waited for it.
                if (store.FinishedAt is { } finished) return new StepResult.Redirect(finished);
                if (!store.HoldsDeferredPlan) return new StepResult.Denied(FlowRunner.Title(flow), t[Expired]);
                // The GET did not store its plan (too many unsubmitted ones): plan again from this request, which
                // posts to the same address, and go on only if that shows the stage the form came from.
                var planned = await planner.PlanAsync(definition, context, ct);
                if (planned.RedirectTo is { } to) return new StepResult.Redirect(to);
                if (planned.Plan is null) return new StepResult.Denied(FlowRunner.Title(flow), planned.Denied!);
                plan = planned.Plan;
                store.Adopt(plan);
                var shown = await runner.AdvanceAsync(definition, plan, context, ct);
                if (shown is not StepResult.Stage stage) return shown;
                if (stage.BindingId != command.BindingId) return new StepResult.Redirect(self);
            }
            // A stale form (back button, second tab, double click) never submits another stage than the one it showed.
            if (runner.Current(definition, plan, context) is not { } current || current.Binding.Id != command.BindingId)
                return new StepResult.Redirect(self);

            var (binding, run) = current;
            switch (await runner.ExecutorFor(binding.Stage).SubmitAsync(run, command.Form, ct))
            {
                case StageOutcome.Continue:
                    plan.Current++;
                    // Saved where it stops: at the next stage with a form, or deleted at the end. A second submission of this
                    // browser waits for this request meanwhile (PlanLocks).
                    return await runner.ContinueAfterSubmitAsync(definition, plan, context, self, ct);
                case StageOutcome.Deny deny:
                    return await runner.DenyAsync(flow, plan, deny, ct);
                case StageOutcome.Show { HasErrors: true } when await store.MovedOnAsync(plan, ct):
                    // Another request of this browser moved the plan on while this one checked the form (a double
                    // submit that reached another instance): what this one found wrong ("username already taken") is
                    // that request's own write. Follow it instead.
                    return await runner.FollowOtherRequestAsync(flow, plan, ct);
                case StageOutcome.Show show when !show.HasErrors || binding.InvalidResponseAction == InvalidResponseAction.Retry:
                    return runner.Show(definition, plan, show, binding);
                default:
                    return await RestartAsync(flow, plan, binding.InvalidResponseAction == InvalidResponseAction.RestartWithContext, self, ct);
            }
        }

        /// <summary><c>restart</c> plans the flow anew; <c>restart_with_context</c> goes back to the first stage keeping what was entered.</summary>
        private async Task<StepResult> RestartAsync(Flow flow, FlowPlan plan, bool keepContext, string self, CancellationToken ct)
        {
            var query = new PlanContext(plan.Context).Data["query"] as System.Text.Json.Nodes.JsonObject;
            if (keepContext)
            {
                plan.Current = 0;
                await store.SaveAsync(plan, ct);
                return new StepResult.Redirect(self);
            }
            await store.RemoveAsync(plan, ct);
            var again = query is null ? "" : "?" + string.Join("&", query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString((string?)p.Value ?? "")}"));
            return new StepResult.Redirect(self + again);
        }
    }
}
