using System.Linq.Expressions;
using Enrollment.Domain;
using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;
using DeletePolicy = Enrollment.Features.Policies.DeletePolicy.DeletePolicy;

namespace Enrollment.Features.Api.Policies;

/// <summary>
/// <c>/api/v3/policies/expression/</c>. An expression with a Python syntax error is refused on save with its line,
/// as in the admin. <c>bound_to</c> counts the policy's bindings.
/// </summary>
public sealed class ExpressionPoliciesResource : ApiResource<ExpressionPolicy>
{
    public override string Path => "/policies/expression/";

    protected override string? Model => PolicyJson.MetaModelName;

    protected override IReadOnlyList<string> Writable => ["name", "execution_logging", "expression"];

    protected override IQueryable<ExpressionPolicy> Source(AppDbContext db) => db.Policies.OfType<ExpressionPolicy>();

    protected override Expression<Func<ExpressionPolicy, bool>> ByKey(string key) => Guid.TryParse(key, out var id) ? p => p.Id == id : p => false;

    protected override Ordering<ExpressionPolicy> Ordering { get; } = new Ordering<ExpressionPolicy>("name").Field("name", p => p.Name);

    protected override Expression<Func<ExpressionPolicy, object>> Tiebreak => p => p.Id;

    private static readonly FilterSet<ExpressionPolicy> Filters = new FilterSet<ExpressionPolicy>()
        .Text("name", p => p.Name).Text("expression", p => p.Expression).Flag("execution_logging", p => p.ExecutionLogging)
        .Uuid("policy_uuid", p => p.Id).Search(p => p.Name);

    protected override IQueryable<ExpressionPolicy> Filter(IQueryable<ExpressionPolicy> items, ApiScope scope, FieldErrors errors) =>
        Filters.Apply(items, scope.Query, errors);

    protected override async Task<IReadOnlyList<object>> ToJsonAsync(ApiScope scope, IReadOnlyList<ExpressionPolicy> items)
    {
        var ids = items.Select(p => p.Id).ToList();
        var bound = await scope.Db.PolicyBindings.Where(b => b.PolicyId != null && ids.Contains(b.PolicyId.Value))
            .GroupBy(b => b.PolicyId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, scope.Ct);
        return items.Select(p => (object)PolicyJson.Of(p, bound.GetValueOrDefault(p.Id), details: true)).ToList();
    }

    protected override async Task CheckAsync(ApiScope scope, ExpressionPolicy entity, bool creating, FieldErrors errors)
    {
        if (await scope.Db.Policies.AnyAsync(p => p.Name == entity.Name && p.Id != entity.Id, scope.Ct))
            errors.Add("name", "policy with this name already exists.");
    }

    /// <summary>Through the admin's delete command, which takes related rows with it.</summary>
    public override async Task<IResult> DeleteAsync(ApiScope scope, string key) => Deleted(await scope.Services.GetRequiredService<ISender>().Send(new DeletePolicy.Command(Guid.Parse(key)), scope.Ct) is not null);

    protected override (string App, string ModelName) EventModel => ("authentik_policies_expression", "expressionpolicy");

    protected override string Describe(ExpressionPolicy entity) => entity.Name;

    protected override object PkOf(ExpressionPolicy entity) => entity.Id;
}
