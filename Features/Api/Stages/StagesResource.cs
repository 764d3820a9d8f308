using System.Linq.Expressions;
using Enrollment.Domain;
using Enrollment.Features.Api.Shared;
using Enrollment.Features.Stages.Shared;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;
using DeleteStage = Enrollment.Features.Stages.DeleteStage.DeleteStage;

namespace Enrollment.Features.Api.Stages;

/// <summary>
/// The stages of one kind under the kind's authentik path (<c>/stages/user_write/</c>…), or of every kind under
/// <c>/stages/all/</c> (read and delete only, base fields, as authentik's). Writes go through the kind's blueprint
/// model; a stage's name is unique across kinds.
/// </summary>
public sealed class StagesResource(StageKind? kind, StageKinds kinds) : ApiResource<Stage>
{
    public override string Path => kind?.ApiPath ?? "/stages/all/";

    protected override string? Model => kind?.Model;

    protected override IReadOnlyList<string> Writable => kind is null ? [] : ["name", .. kind.ApiFields];

    protected override IQueryable<Stage> Source(AppDbContext db)
    {
        var stages = kinds.Details.Aggregate(db.Stages.AsQueryable(), (q, d) => q.Include(d))
            .Include(s => s.Bindings).ThenInclude(b => b.Flow)
            .AsSplitQuery();
        return kind is null ? stages : stages.Where(s => EF.Property<string>(s, "kind") == kind.Name);
    }

    protected override Expression<Func<Stage, bool>> ByKey(string key) =>
        Guid.TryParse(key, out var id) ? s => s.Id == id : s => false;

    protected override Ordering<Stage> Ordering { get; } = new Ordering<Stage>("name").Field("name", s => s.Name);

    protected override Expression<Func<Stage, object>> Tiebreak => s => s.Id;

    private static readonly FilterSet<Stage> Filters = new FilterSet<Stage>()
        .Text("name", s => s.Name).Uuid("stage_uuid", s => s.Id).Search(s => s.Name);

    protected override IQueryable<Stage> Filter(IQueryable<Stage> items, ApiScope scope, FieldErrors errors)
    {
        items = Filters.Apply(items, scope.Query, errors);
        // The kind's own exact filters (host, user_type, deny_message…), from its descriptor.
        return kind?.FilterApi(items, scope.Query, errors) ?? items;
    }

    protected override Task<IReadOnlyList<object>> ToJsonAsync(ApiScope scope, IReadOnlyList<Stage> items)
    {
        foreach (var s in items) kinds.Of(s).Arrange(s);
        return Task.FromResult<IReadOnlyList<object>>(items.Select(s => (object)StageJson.Of(kinds.Of(s), s, withKindFields: kind is not null)).ToList());
    }

    protected override async Task CheckAsync(ApiScope scope, Stage entity, bool creating, FieldErrors errors)
    {
        if (await scope.Db.Stages.AnyAsync(s => s.Name == entity.Name && s.Id != entity.Id, scope.Ct))
            errors.Add("name", "stage with this name already exists.");
    }

    /// <summary>Also under <c>/stages/all/</c>, which writes nothing else.</summary>
    protected override bool Deletable => true;

    /// <summary>Through the admin's delete command: the stage's bindings and their policy bindings go with it.</summary>
    public override async Task<IResult> DeleteAsync(ApiScope scope, string key) =>
        Deleted(await Source(scope.Db).AnyAsync(ByKey(key), scope.Ct)
                && await scope.Services.GetRequiredService<ISender>().Send(new DeleteStage.Command(Guid.Parse(key)), scope.Ct));

    protected override (string App, string ModelName) EventModel => kind is null ? ("authentik_flows", "stage") : (kind.AppLabel, kind.ModelName);

    protected override string Describe(Stage entity) => entity.Name;

    protected override object PkOf(Stage entity) => entity.Id;
}
