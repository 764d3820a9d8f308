using Enrollment.Features.Stages.Shared;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.FlowExecution;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.FlowExecution;

/// <summary>
/// A flow as its steps read it: the flow, its enabled policy bindings in order, and its stage bindings in order,
/// each with its enabled policy bindings in order and its stage with the details its kind needs.
/// </summary>
internal sealed class FlowDefinitionLoader(StageKinds kinds) : IFlowDefinitionLoader
{
    public async Task<FlowDefinition?> LoadAsync(AppDbContext db, string slug, CancellationToken ct)
    {
        if (await db.Flows.AsNoTracking().SingleOrDefaultAsync(f => f.Slug == slug, ct) is not { } flow) return null;
        var query = db.FlowStageBindings.AsNoTracking().AsSingleQuery()
            .Where(b => b.FlowId == flow.Id)
            .Include(b => b.PolicyBindings.Where(p => p.Enabled).OrderBy(p => p.Order)).ThenInclude(p => p.Policy)
            .Include(b => b.Stage);
        var withDetails = kinds.Details.Aggregate((IQueryable<Domain.FlowStageBinding>)query, (q, detail) => q.Include($"{nameof(Domain.FlowStageBinding.Stage)}.{detail}"));
        var bindings = await withDetails.OrderBy(b => b.Order).ThenBy(b => b.Id).ToListAsync(ct);
        foreach (var stage in bindings.Select(b => b.Stage).Distinct()) kinds.Of(stage).Arrange(stage);
        var flowPolicies = await db.PolicyBindings.AsNoTracking().Include(p => p.Policy)
            .Where(p => p.Enabled && p.FlowId == flow.Id).OrderBy(p => p.Order).ToListAsync(ct);
        return new FlowDefinition(flow, bindings, flowPolicies);
    }
}
