using System.Linq.Expressions;
using Enrollment.Domain;
using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;
using DeletePolicy = Enrollment.Features.Policies.DeletePolicy.DeletePolicy;

namespace Enrollment.Features.Api.Policies;

/// <summary>
/// <c>/api/v3/policies/password/</c>: authentik's password policy, written through its blueprint fields (so the API
/// refuses what a blueprint refuses: negative counts, a zxcvbn threshold outside 0–3, an empty field key or symbol
/// set). <c>bound_to</c> counts the policy's bindings.
/// </summary>
public sealed class PasswordPoliciesResource : ApiResource<PasswordPolicy>
{
    public override string Path => "/policies/password/";

    protected override string? Model => PolicyJson.PasswordMetaModelName;

    protected override IReadOnlyList<string> Writable =>
    [
        "name", "execution_logging", "password_field", "amount_digits", "amount_uppercase", "amount_lowercase", "amount_symbols",
        "length_min", "symbol_charset", "error_message", "check_static_rules", "check_have_i_been_pwned", "check_zxcvbn",
        "hibp_allowed_count", "zxcvbn_score_threshold",
    ];

    protected override IQueryable<PasswordPolicy> Source(AppDbContext db) => db.Policies.OfType<PasswordPolicy>();

    protected override Expression<Func<PasswordPolicy, bool>> ByKey(string key) => Guid.TryParse(key, out var id) ? p => p.Id == id : p => false;

    protected override Ordering<PasswordPolicy> Ordering { get; } = new Ordering<PasswordPolicy>("name").Field("name", p => p.Name);

    protected override Expression<Func<PasswordPolicy, object>> Tiebreak => p => p.Id;

    private static readonly FilterSet<PasswordPolicy> Filters = new FilterSet<PasswordPolicy>()
        .Text("name", p => p.Name).Flag("execution_logging", p => p.ExecutionLogging).Uuid("policy_uuid", p => p.Id)
        .Text("password_field", p => p.PasswordField).Text("symbol_charset", p => p.SymbolCharset).Text("error_message", p => p.ErrorMessage)
        .Number("amount_digits", p => p.AmountDigits).Number("amount_uppercase", p => p.AmountUppercase)
        .Number("amount_lowercase", p => p.AmountLowercase).Number("amount_symbols", p => p.AmountSymbols)
        .Number("length_min", p => p.LengthMin).Number("hibp_allowed_count", p => p.HibpAllowedCount)
        .Number("zxcvbn_score_threshold", p => p.ZxcvbnScoreThreshold)
        .Flag("check_static_rules", p => p.CheckStaticRules).Flag("check_zxcvbn", p => p.CheckZxcvbn)
        .Flag("check_have_i_been_pwned", p => p.CheckHaveIBeenPwned)
        .Search(p => p.Name);

    protected override IQueryable<PasswordPolicy> Filter(IQueryable<PasswordPolicy> items, ApiScope scope, FieldErrors errors) =>
        Filters.Apply(items, scope.Query, errors);

    protected override async Task<IReadOnlyList<object>> ToJsonAsync(ApiScope scope, IReadOnlyList<PasswordPolicy> items)
    {
        var ids = items.Select(p => p.Id).ToList();
        var bound = await scope.Db.PolicyBindings.Where(b => b.PolicyId != null && ids.Contains(b.PolicyId.Value))
            .GroupBy(b => b.PolicyId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, scope.Ct);
        return items.Select(p => (object)PolicyJson.Of(p, bound.GetValueOrDefault(p.Id), details: true)).ToList();
    }

    protected override async Task CheckAsync(ApiScope scope, PasswordPolicy entity, bool creating, FieldErrors errors)
    {
        if (await scope.Db.Policies.AnyAsync(p => p.Name == entity.Name && p.Id != entity.Id, scope.Ct))
            errors.Add("name", "policy with this name already exists.");
    }

    /// <summary>Through the admin's delete command, which takes related rows with it; only a password policy is found here.</summary>
    public override async Task<IResult> DeleteAsync(ApiScope scope, string key) =>
        Deleted(await Source(scope.Db).AnyAsync(ByKey(key), scope.Ct)
                && await scope.Services.GetRequiredService<ISender>().Send(new DeletePolicy.Command(Guid.Parse(key)), scope.Ct) is not null);

    protected override (string App, string ModelName) EventModel => ("authentik_policies_password", "passwordpolicy");

    protected override string Describe(PasswordPolicy entity) => entity.Name;

    protected override object PkOf(PasswordPolicy entity) => entity.Id;
}
