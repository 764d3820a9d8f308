using Enrollment.Domain;
using Enrollment.Features.FlowExecution;
using Enrollment.Infrastructure.Blueprints.Models;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;

namespace Enrollment.Features.Stages.Shared;

/// <summary>A stage kind backed by entity <typeparamref name="TStage"/> and admin form <typeparamref name="TForm"/>.</summary>
public abstract class StageKind<TStage, TForm> : StageKind
    where TStage : Stage
    where TForm : StageForm, new()
{
    public sealed override Type StageType => typeof(TStage);

    protected abstract TStage Create();

    public sealed override Stage New(string name)
    {
        var stage = Create();
        stage.Name = name;
        return stage;
    }

    public sealed override StageForm NewForm() => new TForm();

    public sealed override StageForm FormFor(Stage stage)
    {
        var form = new TForm { Name = stage.Name };
        Read((TStage)stage, form);
        return form;
    }

    public sealed override Task LoadChoicesAsync(AppDbContext db, StageForm form, CancellationToken ct) => LoadChoicesAsync(db, (TForm)form, ct);

    public sealed override Task<IReadOnlyList<FieldError>> ApplyAsync(AppDbContext db, StageForm form, Stage stage, CancellationToken ct)
    {
        stage.Name = form.Name.Trim();
        return WriteAsync(db, (TForm)form, (TStage)stage, ct);
    }

    public sealed override void Arrange(Stage stage) => Arrange((TStage)stage);

    /// <summary>The kind's API filters over its own fields; null: none beyond the name.</summary>
    protected virtual Api.Shared.FilterSet<TStage>? ApiFilters => null;

    public sealed override IQueryable<Stage> FilterApi(IQueryable<Stage> stages, IQueryCollection query, Api.Shared.FieldErrors errors) =>
        ApiFilters is { } filters ? filters.Apply(stages.OfType<TStage>(), query, errors) : stages;

    /// <summary>Copies the stage's settings into the form.</summary>
    protected abstract void Read(TStage stage, TForm form);

    /// <summary>Copies the form's settings onto the stage; the name is already set.</summary>
    protected abstract Task<IReadOnlyList<FieldError>> WriteAsync(AppDbContext db, TForm form, TStage stage, CancellationToken ct);

    protected virtual Task LoadChoicesAsync(AppDbContext db, TForm form, CancellationToken ct) => Task.CompletedTask;

    protected virtual void Arrange(TStage stage) { }

    protected static Task<IReadOnlyList<FieldError>> NoErrors() => Task.FromResult<IReadOnlyList<FieldError>>([]);
}
