using System.Linq.Expressions;
using Enrollment.Domain;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;

namespace Enrollment.Infrastructure.Blueprints.Models;

/// <summary>
/// One blueprint field of a model, under authentik's name: how to convert a resolved value, write it onto the
/// entity and, when it can serve as an identifier, match it in a query.
/// </summary>
internal sealed class Field<T> where T : class
{
    public required string Name { get; init; }

    /// <summary>Resolved value → the field's type. Throws <see cref="BlueprintException"/> on a mismatch.</summary>
    public required Func<object?, object?> Convert { get; init; }

    public required Func<T, object?, WriteContext, Task> Write { get; init; }

    /// <summary>A query predicate for a converted value; null when the field cannot identify an object.</summary>
    public Func<object?, Expression<Func<T, bool>>>? Match { get; init; }

    /// <summary>Writes the field's value for an export; null when the field is never exported (a secret, an alias).</summary>
    public Action<T, BlueprintWriter, ExportContext>? Export { get; init; }

    /// <summary>Whether the value is null: an identifier that is null is left out of an exported entry.</summary>
    public Func<T, bool> IsNull { get; init; } = _ => false;

    /// <summary>An attribute left out of exports while <see cref="IsNull"/> (one of ours that authentik's files do not have).</summary>
    public bool OmittedWhenNull { get; init; }

    /// <summary>The objects of other models the value refers to: an export writes them as entries of their own.</summary>
    public Func<T, IEnumerable<(string Model, Guid Pk)>>? References { get; init; }

    /// <summary>The same field, not written by exports.</summary>
    public Field<T> NotExported() => new() { Name = Name, Convert = Convert, Write = Write, Match = Match, IsNull = IsNull };
}
