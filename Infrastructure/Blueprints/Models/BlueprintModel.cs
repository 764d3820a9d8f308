using System.Linq.Expressions;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Blueprints.Models;

/// <summary>A model backed by entity <typeparamref name="T"/>, declared as a list of <see cref="Field{T}"/>s.</summary>
internal sealed class BlueprintModel<T> : IBlueprintModel where T : class
{
    public required string Name { get; init; }
    public required Func<T> New { get; init; }
    public required Field<T> PkField { get; init; }
    public required Func<T, object> GetPk { get; init; }
    public required IReadOnlyList<Field<T>> Fields { get; init; }
    public IReadOnlySet<string> Ignored { get; init; } = new HashSet<string>();

    /// <summary>Fields an object cannot be created without; each item lists alternatives (<c>type</c> or <c>prompt_type</c>).</summary>
    public IReadOnlyList<string[]> Required { get; init; } = [];

    /// <summary>Rules spanning fields; returns (field, message) of the first broken one.</summary>
    public Func<T, (string Field, string Message)?>? Validate { get; init; }

    /// <summary>The fields an export writes under <c>identifiers</c> (a null one is left out); the others go under <c>attrs</c>.</summary>
    public IReadOnlyList<string> Identifiers { get; init; } = ["name"];

    /// <summary>The <c>id</c> of the object's entry in an export.</summary>
    public Func<T, string>? ExportId { get; init; }

    /// <summary>The <c>state</c> of the object's entry in an export (<c>created</c>: referred to, never changed on import).</summary>
    public string ExportState { get; init; } = "present";

    /// <summary>The order of this model's entries in an export.</summary>
    public Func<T, string> SortBy { get; init; } = _ => "";

    private Dictionary<string, Field<T>>? _byName;
    private Dictionary<string, Field<T>> ByName => _byName ??= Fields.ToDictionary(f => f.Name);

    public bool Ignores(string field) => Ignored.Contains(field);

    public async Task<object?> FindAsync(AppDbContext db, IReadOnlyList<(string Field, object? Value)> identifiers, bool all, CancellationToken ct)
    {
        Expression<Func<T, bool>>? byPk = null, byOthers = null;
        foreach (var (name, value) in identifiers)
        {
            if (name == "pk")
            {
                byPk = Predicates.And(byPk, PkField.Match!(Convert(PkField, value)));
                continue;
            }
            var field = FieldNamed(name);
            if (field.Match is null) throw new BlueprintException($"cannot be used to find a {Name}.", name);
            byOthers = Predicates.And(byOthers, field.Match(Convert(field, value)));
        }
        var predicate = all ? Predicates.And(byPk, byOthers) : Predicates.Or(byPk, byOthers);
        if (predicate is null) throw new BlueprintException($"identifiers are needed to find a {Name} (pk or its identifying fields).", "identifiers");
        return await db.Set<T>().Where(predicate).FirstOrDefaultAsync(ct);
    }

    public object Create() => New();

    public void Add(AppDbContext db, object entity) => db.Set<T>().Add((T)entity);

    public async Task WriteAsync(object entity, string field, object? value, WriteContext ctx)
    {
        var f = field == "pk" ? PkField : FieldNamed(field);
        try
        {
            await f.Write((T)entity, f.Convert(value), ctx);
        }
        catch (BlueprintException e)
        {
            throw e.InField(field);
        }
    }

    public void Check(object entity, bool creating, IReadOnlySet<string> given)
    {
        if (creating && Required.FirstOrDefault(names => !names.Any(given.Contains)) is { } missing)
            throw new BlueprintException($"is required to create a {Name}.", string.Join(" or ", missing));
        if (Validate?.Invoke((T)entity) is { } problem) throw new BlueprintException(problem.Message, problem.Field);
    }

    public object Pk(object entity) => GetPk((T)entity);

    public void Remove(AppDbContext db, object entity) => db.Set<T>().Remove((T)entity);

    public Type EntityType => typeof(T);

    public string? EntryId(object entity) => ExportId?.Invoke((T)entity);

    public string SortKey(object entity) => SortBy((T)entity);

    public IEnumerable<(string Model, Guid Pk)> References(object entity) =>
        Fields.Where(f => f.Export is not null && f.References is not null).SelectMany(f => f.References!((T)entity));

    public async Task<IReadOnlyList<object>> LoadAsync(AppDbContext db, IReadOnlyCollection<Guid> pks, CancellationToken ct) =>
        await db.Set<T>().AsNoTracking().Where(x => pks.Contains(EF.Property<Guid>(x, "Id"))).ToListAsync(ct);

    public void Export(BlueprintWriter w, object entity, ExportContext ctx)
    {
        var e = (T)entity;
        w.Map().Key("model").Text(Name).Key("state").Text(ExportState);
        if (ExportId is not null) w.Key("id").Text(ExportId(e));
        w.Key("identifiers").Map();
        foreach (var name in Identifiers)
        {
            var field = ByName[name];
            if (field.IsNull(e)) continue;
            w.Key(name);
            field.Export!(e, w, ctx);
        }
        w.EndMap();
        w.Key("attrs").Map();
        foreach (var field in Fields)
        {
            if (field.Export is null || Identifiers.Contains(field.Name) || (field.OmittedWhenNull && field.IsNull(e))) continue;
            w.Key(field.Name);
            field.Export(e, w, ctx);
        }
        w.EndMap();
        w.EndMap();
    }

    private Field<T> FieldNamed(string name) =>
        ByName.TryGetValue(name, out var field)
            ? field
            : throw new BlueprintException($"unknown field for {Name}. Known fields: {string.Join(", ", ByName.Keys.Order())}.", name);

    private static object? Convert(Field<T> field, object? value)
    {
        try { return field.Convert(value); }
        catch (BlueprintException e) { throw e.InField(field.Name); }
    }
}
