namespace Enrollment.Infrastructure.Blueprints.Models;

/// <summary>The authentik models a blueprint may name, by their authentik names.</summary>
public sealed class ModelRegistry
{
    private readonly Dictionary<string, IBlueprintModel> _models = new IBlueprintModel[]
    {
        FlowModels.FlowModel(),
        FlowModels.BindingModel(),
        StageModels.InvitationStage(),
        StageModels.Invitation(),
        StageModels.Prompt(),
        StageModels.PromptStage(),
        StageModels.UserWriteStage(),
        StageModels.UserLoginStage(),
        StageModels.EmailStage(),
        CoreModels.Group(),
        CoreModels.User(),
        PolicyModels.ExpressionPolicy(),
        PolicyModels.Binding(),
    }.ToDictionary(m => m.Name, StringComparer.Ordinal);

    public IEnumerable<string> Names => _models.Keys.Order(StringComparer.Ordinal);

    /// <exception cref="BlueprintException">The model is not one Enrollment knows.</exception>
    public IBlueprintModel Get(string name) =>
        _models.TryGetValue(name, out var model)
            ? model
            : throw new BlueprintException($"Unknown model '{name}'. Enrollment imports: {string.Join(", ", Names)}.", "model");
}
