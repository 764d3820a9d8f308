using System.Linq.Expressions;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Blueprints.Models;

/// <summary>One authentik model (e.g. <c>authentik_flows.flow</c>) as the importer sees it, whatever entity is behind it.</summary>
public interface IBlueprintModel
{
    string Name { get; }

    /// <summary>Known authentik fields that Enrollment does not model: accepted, with a warning.</summary>
    bool Ignores(string field);

    /// <summary>
    /// The existing (tracked) object: by <c>pk</c> OR by all other identifiers together (authentik's rule).
    /// With <paramref name="all"/> every pair must match, <c>pk</c> included (<c>!Find</c>'s rule).
    /// </summary>
    Task<object?> FindAsync(AppDbContext db, IReadOnlyList<(string Field, object? Value)> identifiers, bool all, CancellationToken ct);

    /// <summary>A new, untracked object with the model's defaults; <see cref="Add"/> it once its fields are written (the pk may still change).</summary>
    object Create();

    void Add(AppDbContext db, object entity);

    /// <exception cref="BlueprintException">Unknown field, a value of the wrong type, a missing reference.</exception>
    Task WriteAsync(object entity, string field, object? value, WriteContext ctx);

    /// <summary>Rules over several fields (required on create, exactly one subject…); throws naming the field.</summary>
    void Check(object entity, bool creating, IReadOnlySet<string> given);

    object Pk(object entity);

    void Remove(AppDbContext db, object entity);

    /// <summary>The CLR type of the model's objects.</summary>
    Type EntityType { get; }

    /// <summary>The <c>id</c> an export gives the object's entry (what <c>!KeyOf</c> refers to); null: none.</summary>
    string? EntryId(object entity);

    /// <summary>The order an export lists this model's objects in.</summary>
    string SortKey(object entity);

    /// <summary>The objects of other models that the object's exported fields refer to.</summary>
    IEnumerable<(string Model, Guid Pk)> References(object entity);

    /// <summary>Loads objects by pk, untracked, for an export.</summary>
    Task<IReadOnlyList<object>> LoadAsync(AppDbContext db, IReadOnlyCollection<Guid> pks, CancellationToken ct);

    /// <summary>
    /// Writes the object as one blueprint entry: model, state, id, its identifiers and every other exported field,
    /// all from the same field list the import reads, so that an export imports back to the same object.
    /// </summary>
    void Export(BlueprintWriter w, object entity, ExportContext ctx);
}
