using Enrollment.Infrastructure.Web;
using Enrollment.Infrastructure.Identity;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.FlowExecution;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.FlowExecution.RunFlowStep;

/// <summary>
/// Moves a plan forward from its current stage: re-evaluates the binding's policies where asked (a failure skips
/// the stage), runs stages that need no input, and stops at the first that does, at a denial, or at the end.
/// </summary>
internal sealed class FlowRunner(AppDbContext db, FlowPlanStore store, PolicyEngine policies, IEnumerable<IStageExecutor> executors)
{
    public IStageExecutor ExecutorFor(Stage stage) => executors.Single(e => e.Kind == stage.Kind);

    public async Task<(FlowStageBinding Binding, StageRun Run)?> CurrentAsync(Flow flow, FlowPlan plan, HttpContext http, CancellationToken ct)
    {
        while (plan.Current < plan.Bindings.Count)
        {
            var id = Guid.Parse((string)plan.Bindings[plan.Current]!);
            if (await BindingAsync(id, ct) is { } binding) return (binding, new StageRun(flow, binding, binding.Stage, plan, new PlanContext(plan.Context), http));
            plan.Current++; // unbound by an admin since the flow was planned
        }
        return null;
    }

    /// <summary>
    /// One query for all a step needs of its binding: the stage (with a prompt stage's fields and validation
    /// policies) and the binding's enabled policy bindings. Read fresh on every request: admins' changes apply at once.
    /// </summary>
    private Task<FlowStageBinding?> BindingAsync(Guid id, CancellationToken ct) => BindingQuery(db, id, ct);

    // Compiled once: the query runs on every step, and building and looking up its expression tree cost more than running it.
    private static readonly Func<AppDbContext, Guid, CancellationToken, Task<FlowStageBinding?>> BindingQuery =
        EF.CompileAsyncQuery((AppDbContext db, Guid id, CancellationToken ct) =>
            db.FlowStageBindings.AsNoTracking().AsSingleQuery()
                .Include(b => b.PolicyBindings.Where(p => p.Enabled).OrderBy(p => p.Order)).ThenInclude(p => p.Policy)
                .Include(b => b.Stage).ThenInclude(s => ((PromptStage)s).Fields.OrderBy(p => p.Order).ThenBy(p => p.Name))
                .Include(b => b.Stage).ThenInclude(s => ((PromptStage)s).ValidationPolicies)
                .SingleOrDefault(b => b.Id == id));

    public async Task<StepResult> AdvanceAsync(Flow flow, FlowPlan plan, HttpContext http, CancellationToken ct)
    {
        for (var guard = 0; guard < 100; guard++)
        {
            if (await CurrentAsync(flow, plan, http, ct) is not { } current) return await FinishAsync(plan, ct);
            var (binding, run) = current;
            if (binding.ReEvaluatePolicies && !await PassesAsync(binding, run, ct))
            {
                plan.Current++;
                continue;
            }
            switch (await ExecutorFor(binding.Stage).ShowAsync(run, ct))
            {
                case StageOutcome.Continue:
                    plan.Current++;
                    continue;
                case StageOutcome.Show show:
                    await store.SaveAsync(plan, ct);
                    return new StepResult.Stage(Title(flow), show.Partial, show.View, binding.Id);
                case StageOutcome.Deny deny:
                    await store.RemoveAsync(plan, ct);
                    return new StepResult.Denied(Title(flow), deny.Message);
            }
        }
        throw new InvalidOperationException("The flow did not settle on a stage.");
    }

    private async Task<bool> PassesAsync(FlowStageBinding binding, StageRun run, CancellationToken ct)
    {
        var who = run.Context.PendingUserId ?? run.Http.User.UserId();
        return (await policies.EvaluateAsync(binding.PolicyBindings, binding.PolicyEngineMode, new PolicyRequest(who, run.Context), ct)).Passing;
    }


    /// <summary>No stages left: the flow is done; go to the plan's redirect, a safe <c>next</c>, or the user's home.</summary>
    private async Task<StepResult> FinishAsync(FlowPlan plan, CancellationToken ct)
    {
        var context = new PlanContext(plan.Context);
        await store.RemoveAsync(plan, ct);
        var redirect = LocalUrl.IsSafe(context.Redirect) ? context.Redirect : null;
        return new StepResult.Redirect(redirect ?? FlowPlanner.SafeNext(context) ?? "/if/user/", (string?)(context.Data["message"] as System.Text.Json.Nodes.JsonValue));
    }

    public static string Title(Flow flow) => string.IsNullOrWhiteSpace(flow.Title) ? flow.Name : flow.Title;
}
