using Enrollment.Domain;
using Enrollment.Features.FlowExecution;
using Enrollment.Infrastructure.Blueprints.Models;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;

namespace Enrollment.Features.Stages.Shared;

/// <summary>
/// What the rest of the application knows of one kind of stage. Each kind's folder declares one; the stage list,
/// the create and edit forms, binding a new stage, blueprint import and export and the flow executor all go
/// through these descriptors, so adding a kind touches no code outside its folder.
/// </summary>
public abstract class StageKind
{
    /// <summary>The wire name: in URLs, in the <c>kind</c> discriminator column, in the API (e.g. <c>user_write</c>).</summary>
    public abstract string Name { get; }

    /// <summary>For people, e.g. "User write stage".</summary>
    public abstract string Label { get; }

    public abstract string Description { get; }

    /// <summary>authentik's Django app label, e.g. <c>authentik_stages_user_write</c>.</summary>
    public abstract string AppLabel { get; }

    /// <summary>authentik's model name within the app, e.g. <c>userwritestage</c>.</summary>
    public string ModelName => AppLabel["authentik_stages_".Length..].Replace("_", "") + "stage";

    /// <summary>authentik's full model name, as blueprints name it: <c>authentik_stages_user_write.userwritestage</c>.</summary>
    public string Model => $"{AppLabel}.{ModelName}";

    /// <summary>Where the kind is listed among the others (the create menu, the bind-new-stage choice).</summary>
    public abstract int Order { get; }

    public abstract Type StageType { get; }

    /// <summary>The <see cref="IStageExecutor"/> that runs stages of this kind in a flow (scoped).</summary>
    public abstract Type ExecutorType { get; }

    /// <summary>A link the kind sends out of the flow and expects back (<see cref="IFlowLink"/>, scoped); null: none.</summary>
    public virtual Type? LinkType => null;

    /// <summary>Navigations of the kind's entity a flow, an edit form or an export needs loaded with the stage.</summary>
    public virtual IReadOnlyList<string> Details => [];

    /// <summary>Puts loaded details in the order the flow and the export use (e.g. a prompt stage's fields by order).</summary>
    public virtual void Arrange(Stage stage) { }

    /// <summary>A new stage of this kind with the kind's defaults.</summary>
    public abstract Stage New(string name);

    /// <summary>The admin form's fields partial (inside the create and edit forms, after the name).</summary>
    public abstract string FieldsPartial { get; }

    /// <summary>An empty form with the kind's defaults (what the create page shows and binds a POST into).</summary>
    public abstract StageForm NewForm();

    /// <summary>The form showing a stored stage.</summary>
    public abstract StageForm FormFor(Stage stage);

    /// <summary>Loads what the form offers to choose from (prompts, policies, groups) into the form.</summary>
    public virtual Task LoadChoicesAsync(AppDbContext db, StageForm form, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Copies a posted form onto a tracked stage, checking what it refers to.</summary>
    /// <returns>The form errors; when there are any the caller must not save.</returns>
    public abstract Task<IReadOnlyList<FieldError>> ApplyAsync(AppDbContext db, StageForm form, Stage stage, CancellationToken ct);

    /// <summary>The kind's blueprint model: one field list for import and export.</summary>
    public abstract IBlueprintModel Blueprint { get; }

    /// <summary>authentik's API path of the kind's viewset under <c>/api/v3</c>, e.g. <c>/stages/user_write/</c>.</summary>
    public virtual string ApiPath => $"/stages/{Name}/";

    /// <summary>The admin form authentik's API names as the stage's <c>component</c>, e.g. <c>ak-stage-user-write-form</c>.</summary>
    public string Component => $"ak-stage-{Name.Replace('_', '-')}-form";

    /// <summary>authentik's <c>verbose_name</c>, e.g. "User Write Stage".</summary>
    public string VerboseName => string.Join(' ', Label.Split(' ').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));

    /// <summary>The fields the kind's API request takes besides <c>name</c>, as authentik's request schema names them.</summary>
    public abstract IReadOnlyList<string> ApiFields { get; }

    /// <summary>The kind's own list filters of its API (authentik's django-filter fields, e.g. <c>user_type</c>).</summary>
    public virtual IQueryable<Stage> FilterApi(IQueryable<Stage> stages, IQueryCollection query, Api.Shared.FieldErrors errors) => stages;

    /// <summary>The kind's API serializer: writes the kind's own fields (those after <c>flow_set</c>) into <paramref name="json"/>.</summary>
    public abstract void WriteApi(Stage stage, System.Text.Json.Nodes.JsonObject json);

    /// <summary>Blueprint models of the kind's own other objects (a prompt stage's prompts).</summary>
    public virtual IReadOnlyList<IBlueprintModel> OtherBlueprints => [];
}
