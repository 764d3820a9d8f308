using Enrollment.Infrastructure.Web;
using Enrollment.Infrastructure.Identity;
using Enrollment.Domain;
using Enrollment.Infrastructure.FlowExecution;
using Enrollment.Infrastructure.Telemetry;

using Enrollment.Features.FlowExecution.RunFlowStep;
using Enrollment.Features.Stages.Shared;

namespace Enrollment.Features.FlowExecution;

/// <summary>
/// Moves a plan forward from its current stage: re-evaluates the binding's policies where asked (a failure skips
/// the stage), runs stages that need no input, and stops at the first that does, at a denial, or at the end.
/// </summary>
internal sealed class FlowRunner(FlowPlanStore store, PolicyEngine policies, StageKinds kinds, IServiceProvider services, IConfiguration configuration, EnrollmentMetrics metrics)
{
    public IStageExecutor ExecutorFor(Stage stage) => services.GetRequiredKeyedService<IStageExecutor>(kinds.Of(stage).Name);

    /// <summary>The plan's current binding, from the flow's definition (fresh as of this request's definition stamp).</summary>
    public (FlowStageBinding Binding, StageRun Run)? Current(FlowDefinition definition, FlowPlan plan, HttpContext http)
    {
        while (plan.Current < plan.Bindings.Count)
        {
            var id = Guid.Parse((string)plan.Bindings[plan.Current]!);
            if (definition.Binding(id) is { } binding)
                return (binding, new StageRun(definition.Flow, binding, binding.Stage, plan, new PlanContext(plan.Context), http));
            plan.Current++; // unbound by an admin since the flow was planned
        }
        return null;
    }

    public Task<StepResult> AdvanceAsync(FlowDefinition definition, FlowPlan plan, HttpContext http, CancellationToken ct) =>
        AdvanceAsync(definition, plan, http, formsAt: null, ct);

    /// <summary>
    /// After a valid POST: the stages that need no input (user write, user login, …) run in this same request, and
    /// the browser is sent to the next stage with a form (its GET shows it) or to where the finished flow leads.
    /// A GET just to run them would cost the invitee a round trip and the server a request per enrollment.
    /// </summary>
    public Task<StepResult> ContinueAfterSubmitAsync(FlowDefinition definition, FlowPlan plan, HttpContext http, string self, CancellationToken ct) =>
        AdvanceAsync(definition, plan, http, formsAt: self, ct);

    private async Task<StepResult> AdvanceAsync(FlowDefinition definition, FlowPlan plan, HttpContext http, string? formsAt, CancellationToken ct)
    {
        var flow = definition.Flow;
        // Whether every stage this request ran could run again with the same result (see DeferAsync).
        var replayable = true;
        for (var guard = 0; guard < 100; guard++)
        {
            if (Current(definition, plan, http) is not { } current) return await FinishAsync(flow, plan, ct);
            var (binding, run) = current;
            if (formsAt is not null && ExecutorFor(binding.Stage) is not AutomaticStage)
            {
                await store.SaveAsync(plan, ct);
                return new StepResult.Redirect(formsAt);
            }
            if (binding.ReEvaluatePolicies && !await PassesAsync(binding, run, ct))
            {
                plan.Current++;
                continue;
            }
            var executor = ExecutorFor(binding.Stage);
            replayable &= executor.Replayable;
            switch (await executor.ShowAsync(run, ct))
            {
                case StageOutcome.Continue:
                    plan.Current++;
                    continue;
                case StageOutcome.Show show:
                    // A GET that only showed a new plan's first form stores it while few such plans exist; past the
                    // limit the browser keeps just the key and its POST plans again.
                    if (formsAt is not null || !replayable || !await store.DeferAsync(plan, UnsubmittedPlanLimit, ct))
                        await store.SaveAsync(plan, ct);
                    return Show(definition, plan, show, binding);
                case StageOutcome.Deny deny:
                    return await DenyAsync(flow, plan, deny, ct);
                case StageOutcome.Superseded:
                    return await FollowOtherRequestAsync(flow, plan, ct);
            }
        }
        throw new InvalidOperationException("The flow did not settle on a stage.");
    }

    /// <summary>
    /// Another request of the same browser took this plan (a double submit that reached another instance): leave the
    /// plan alone and send the browser where that request went — the next stage's page, or (the plan finished) where
    /// the flow leads.
    /// </summary>
    public async Task<StepResult> FollowOtherRequestAsync(Flow flow, FlowPlan plan, CancellationToken ct) =>
        await store.WaitForOtherRequestAsync(plan, OtherRequestPatience, ct)
            ? new StepResult.Redirect($"/if/flow/{Uri.EscapeDataString(flow.Slug)}/")
            : new StepResult.Redirect(FinishedUrl(plan));

    /// <summary>How long a superseded request waits for the one that took its plan (that one is past its commit already).</summary>
    private static readonly TimeSpan OtherRequestPatience = TimeSpan.FromSeconds(10);

    private async Task<bool> PassesAsync(FlowStageBinding binding, StageRun run, CancellationToken ct)
    {
        var who = run.Context.PendingUserId ?? run.Http.User.UserId();
        return (await policies.EvaluateAsync(binding.PolicyBindings, binding.PolicyEngineMode, new PolicyRequest(who, run.Context), ct)).Passing;
    }


    /// <summary>A stage ended the flow: the plan goes, the invitee reads why.</summary>
    public async Task<StepResult> DenyAsync(Flow flow, FlowPlan plan, StageOutcome.Deny deny, CancellationToken ct)
    {
        await store.RemoveAsync(plan, ct);
        metrics.FlowDenied(flow.Slug);
        return new StepResult.Denied(Title(flow), deny.Message);
    }

    /// <summary>No stages left: the flow is done; go to the plan's redirect, a safe <c>next</c>, or the user's home.</summary>
    private async Task<StepResult> FinishAsync(Flow flow, FlowPlan plan, CancellationToken ct)
    {
        var context = new PlanContext(plan.Context);
        var url = FinishedUrl(plan);
        await store.FinishAsync(plan, url, ct);
        metrics.FlowCompleted(flow.Slug);
        return new StepResult.Redirect(url, (string?)(context.Data["message"] as System.Text.Json.Nodes.JsonValue));
    }

    private int UnsubmittedPlanLimit => configuration.GetValue("Flows:UnsubmittedPlanLimit", FlowPlanStore.DefaultUnsubmittedPlanLimit);

    private static string FinishedUrl(FlowPlan plan)
    {
        var context = new PlanContext(plan.Context);
        return LocalUrl.SafeOrNull(context.Redirect) ?? FlowPlanner.SafeNext(context) ?? "/if/user/";
    }

    /// <summary>The stage's page, with where it stands among the plan's stages that ask the invitee something.</summary>
    public StepResult.Stage Show(FlowDefinition definition, FlowPlan plan, StageOutcome.Show show, FlowStageBinding binding)
    {
        var (step, steps) = (0, 0);
        for (var i = 0; i < plan.Bindings.Count; i++)
        {
            if (definition.Binding(Guid.Parse((string)plan.Bindings[i]!)) is not { } planned || ExecutorFor(planned.Stage) is AutomaticStage) continue;
            steps++;
            if (i <= plan.Current) step = steps;
        }
        return new StepResult.Stage(Title(definition.Flow), show.Partial, show.View, binding.Id, Math.Max(step, 1), Math.Max(steps, 1));
    }

    public static string Title(Flow flow) => string.IsNullOrWhiteSpace(flow.Title) ? flow.Name : flow.Title;
}
