using System.Linq.Expressions;
using System.Text.Json;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Features.Api.Groups;
using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Policies;

/// <summary>
/// <c>/api/v3/policies/bindings/</c>: a policy, group or user bound to a flow or a stage binding (<c>target</c>, the
/// pk of either). Bindings never expire here (<c>expires</c> null, <c>expiring</c> false).
/// </summary>
public sealed class PolicyBindingsResource : ApiResource<PolicyBinding>
{
    public override string Path => "/policies/bindings/";

    protected override string? Model => "authentik_policies.policybinding";

    protected override IReadOnlyList<string> Writable => ["policy", "group", "user", "target", "negate", "enabled", "order", "timeout", "failure_result"];

    protected override IQueryable<PolicyBinding> Source(AppDbContext db) =>
        db.PolicyBindings.Include(b => b.Policy).Include(b => b.Group).Include(b => b.User).AsSplitQuery();

    protected override Expression<Func<PolicyBinding, bool>> ByKey(string key) => Guid.TryParse(key, out var id) ? b => b.Id == id : b => false;

    protected override Ordering<PolicyBinding> Ordering { get; } = new Ordering<PolicyBinding>("order")
        .Field("order", b => b.Order).Field("pk", b => b.Id).Field("target", b => b.FlowId ?? b.FlowStageBindingId);

    protected override Expression<Func<PolicyBinding, object>> Tiebreak => b => b.Id;

    private static readonly FilterSet<PolicyBinding> Filters = new FilterSet<PolicyBinding>()
        .Custom("target", (items, value, errors) =>
        {
            if (Guid.TryParse(value, out var t)) return items.Where(b => b.FlowId == t || b.FlowStageBindingId == t);
            errors.Add("target", "Enter a valid UUID.");
            return items;
        })
        .Custom("target_in", (items, value, errors) =>
        {
            var ids = new List<Guid>();
            foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (Guid.TryParse(part, out var g)) ids.Add(g);
                else errors.Add("target_in", "Enter a valid UUID.");
            }
            return items.Where(b => (b.FlowId != null && ids.Contains(b.FlowId.Value)) || (b.FlowStageBindingId != null && ids.Contains(b.FlowStageBindingId.Value)));
        })
        .NullableUuid("policy", b => b.PolicyId)
        .Custom("policy__isnull", (items, value, errors) => Shared.Filters.Boolean(value, "policy__isnull", errors) switch
        {
            true => items.Where(b => b.PolicyId == null),
            false => items.Where(b => b.PolicyId != null),
            null => items,
        })
        .Flag("enabled", b => b.Enabled).Number("order", b => b.Order).Number("timeout", b => b.Timeout);

    protected override IQueryable<PolicyBinding> Filter(IQueryable<PolicyBinding> items, ApiScope scope, FieldErrors errors) =>
        Filters.Apply(items, scope.Query, errors);

    protected override async Task<IReadOnlyList<object>> ToJsonAsync(ApiScope scope, IReadOnlyList<PolicyBinding> items)
    {
        var policyIds = items.Where(b => b.PolicyId != null).Select(b => b.PolicyId!.Value).Distinct().ToList();
        var bound = await scope.Db.PolicyBindings.Where(b => b.PolicyId != null && policyIds.Contains(b.PolicyId.Value))
            .GroupBy(b => b.PolicyId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, scope.Ct);
        return items.Select(b => (object)new JsonObject
        {
            ["pk"] = b.Id.ToString(),
            ["policy"] = b.PolicyId?.ToString(),
            ["group"] = b.GroupId?.ToString(),
            ["user"] = b.UserId,
            ["policy_obj"] = b.Policy is { } p ? PolicyJson.Of(p, bound.GetValueOrDefault(p.Id), details: false) : null,
            ["group_obj"] = b.Group is { } g ? JsonSerializer.SerializeToNode(PartialGroupJson.Of(g), ApiJson.Options) : null,
            ["user_obj"] = b.User is { } u ? JsonSerializer.SerializeToNode(PartialUserJson.Of(u), ApiJson.Options) : null,
            ["target"] = (b.FlowId ?? b.FlowStageBindingId)?.ToString(),
            ["negate"] = b.Negate,
            ["enabled"] = b.Enabled,
            ["order"] = b.Order,
            ["timeout"] = b.Timeout,
            ["failure_result"] = b.FailureResult,
            ["expires"] = null,
            ["expiring"] = false,
        }).ToList();
    }

    protected override (string App, string ModelName) EventModel => ("authentik_policies", "policybinding");

    protected override string Describe(PolicyBinding entity) => $"Policy binding #{entity.Order}";

    protected override object PkOf(PolicyBinding entity) => entity.Id;
}
