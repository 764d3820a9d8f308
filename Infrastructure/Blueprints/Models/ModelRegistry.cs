using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Blueprints.Models;

/// <summary>
/// The authentik models a blueprint may name, by their authentik names: the engine's own (flows, bindings, groups,
/// users, policies) and those the features register (stage kinds, invitations, prompts).
/// </summary>
public sealed class ModelRegistry
{
    private readonly Dictionary<string, IBlueprintModel> _models;

    public ModelRegistry(IEnumerable<IBlueprintModel> registered)
    {
        _models = new IBlueprintModel[]
        {
            FlowModels.FlowModel(),
            FlowModels.BindingModel(),
            CoreModels.Group(),
            CoreModels.User(),
            PolicyModels.ExpressionPolicy(),
            PolicyModels.PasswordPolicy(),
            PolicyModels.Binding(),
        }.Concat(registered).ToDictionary(m => m.Name, StringComparer.Ordinal);
    }

    public IEnumerable<string> Names => _models.Keys.Order(StringComparer.Ordinal);

    /// <summary>
    /// The model named <c>app_label.model</c>. The model part is case-insensitive and the app label is not, as
    /// Django's <c>apps.get_model</c> has it: <c>authentik_flows.Flow</c> is the flow model, <c>Authentik_flows.flow</c> is unknown.
    /// </summary>
    /// <exception cref="BlueprintException">The model is not one Enrollment knows.</exception>
    public IBlueprintModel Get(string name) =>
        _models.TryGetValue(name, out var model) || _models.TryGetValue(Canonical(name), out model)
            ? model
            : throw new BlueprintException($"Unknown model '{name}'. Enrollment imports: {string.Join(", ", Names)}.", "model");

    /// <summary>Every model name registered is lower case: the model part lowered, the app label as given.</summary>
    public static string Canonical(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot < 0 ? name : name[..(dot + 1)] + name[(dot + 1)..].ToLowerInvariant();
    }

    /// <summary>
    /// The objects with these pks that a field refers to under <paramref name="name"/> (see
    /// <see cref="Field{T}.References"/>), each with its own model: <see cref="PolicyModels.AnyPolicyName"/> finds
    /// policies of every kind.
    /// </summary>
    public async Task<IReadOnlyList<(IBlueprintModel Model, object Entity)>> LoadReferencedAsync(
        Data.AppDbContext db, string name, IReadOnlyCollection<Guid> pks, CancellationToken ct)
    {
        if (name == PolicyModels.AnyPolicyName)
            return (await db.Policies.AsNoTracking().Where(p => pks.Contains(p.Id)).ToListAsync(ct)).Select(p => (For(p.GetType()), (object)p)).ToList();
        var model = Get(name);
        return (await model.LoadAsync(db, pks, ct)).Select(e => (model, e)).ToList();
    }

    /// <summary>The model whose objects are of <paramref name="type"/> (a stage kind's entity, a flow…).</summary>
    public IBlueprintModel For(Type type) => _models.Values.Single(m => m.EntityType == type);
}
