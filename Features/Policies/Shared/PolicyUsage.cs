using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

using Enrollment.Features.Stages.Prompt;

namespace Enrollment.Features.Policies.Shared;

/// <summary>Where a policy is used: its bindings (on a flow or on a stage binding) and the prompt stages that validate with it.</summary>
public sealed record PolicyUsage(IReadOnlyList<PolicyUsage.Binding> Bindings, IReadOnlyList<PolicyUsage.Stage> ValidationOf)
{
    public static readonly PolicyUsage None = new([], []);

    /// <param name="StageName">null for a binding on the flow itself.</param>
    public sealed record Binding(Guid Id, string FlowName, string FlowSlug, Guid? StageBindingId, string? StageName, int Order, bool Enabled)
    {
        /// <summary>The flow page that lists this binding.</summary>
        public string Link => StageBindingId is { } b
            ? $"/if/admin/flows/{Uri.EscapeDataString(FlowSlug)}/policies/{b}/"
            : $"/if/admin/flows/{Uri.EscapeDataString(FlowSlug)}/policies/";
    }

    public sealed record Stage(Guid Id, string Name);

    public bool IsUsed => Bindings.Count > 0 || ValidationOf.Count > 0;

    /// <summary>The usage of each of <paramref name="policyIds"/>, in two queries whatever their number.</summary>
    public static async Task<IReadOnlyDictionary<Guid, PolicyUsage>> LoadAsync(AppDbContext db, IReadOnlyCollection<Guid> policyIds, CancellationToken ct)
    {
        var ids = policyIds.ToList();
        var bindings = await db.PolicyBindings.AsNoTracking()
            .Where(b => b.PolicyId != null && ids.Contains(b.PolicyId.Value))
            .Select(b => new
            {
                PolicyId = b.PolicyId!.Value,
                Row = new Binding(b.Id,
                    b.Flow != null ? b.Flow.Name : b.FlowStageBinding!.Flow.Name,
                    b.Flow != null ? b.Flow.Slug : b.FlowStageBinding!.Flow.Slug,
                    b.FlowStageBindingId,
                    b.FlowStageBinding != null ? b.FlowStageBinding.Stage.Name : null,
                    b.Order, b.Enabled),
            })
            .ToListAsync(ct);
        var stages = await PromptStageKind.ValidatingWith(db, ids).AsNoTracking().ToListAsync(ct);
        var byBinding = bindings.ToLookup(b => b.PolicyId, b => b.Row);
        var byStage = stages.ToLookup(s => s.UsedId, s => new Stage(s.StageId, s.StageName));
        return ids.Distinct().ToDictionary(id => id, id => new PolicyUsage(
            byBinding[id].OrderBy(b => b.FlowName, StringComparer.OrdinalIgnoreCase).ThenBy(b => b.StageName).ThenBy(b => b.Order).ToList(),
            byStage[id].OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ToList()));
    }

    public static async Task<PolicyUsage> LoadAsync(AppDbContext db, Guid policyId, CancellationToken ct) =>
        (await LoadAsync(db, [policyId], ct))[policyId];
}
