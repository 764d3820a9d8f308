using System.Linq.Expressions;
using Enrollment.Domain;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;

namespace Enrollment.Infrastructure.Blueprints.Models;

/// <summary>Builds the usual kinds of field from a property expression, so each model reads as a list of fields.</summary>
internal static class Fields<T> where T : class
{
    public static Field<T> Text(string name, Expression<Func<T, string>> property, bool required = false, int maxLength = 0, Func<string, string?>? check = null)
    {
        var (set, match) = Member(property);
        var get = property.Compile();
        return new()
        {
            Name = name,
            Convert = v =>
            {
                var text = FieldValues.Text(v, nullable: !required) ?? "";
                if (required && text.Trim().Length == 0) throw new BlueprintException("may not be empty.");
                if (maxLength > 0 && text.Length > maxLength) throw new BlueprintException($"is longer than {maxLength} characters.");
                if (check?.Invoke(text) is { } problem) throw new BlueprintException(problem);
                return text;
            },
            Write = Sync<string>((e, v) => set(e, v)),
            Match = v => match((string)v!),
            Export = (e, w, _) => w.Text(get(e)),
        };
    }

    public static Field<T> Flag(string name, Expression<Func<T, bool>> property)
    {
        var (set, match) = Member(property);
        var get = property.Compile();
        return new()
        {
            Name = name, Convert = v => FieldValues.Flag(v), Write = Sync<bool>((e, v) => set(e, v)), Match = v => match((bool)v!),
            Export = (e, w, _) => w.Flag(get(e)),
        };
    }

    public static Field<T> Number(string name, Expression<Func<T, int>> property, int min = int.MinValue, int max = int.MaxValue)
    {
        var (set, match) = Member(property);
        var get = property.Compile();
        return new()
        {
            Name = name,
            Convert = v => FieldValues.Number(v) is var n && n >= min && n <= max ? n
                : throw new BlueprintException(max == int.MaxValue ? $"must be at least {min}." : $"must be between {min} and {max}."),
            Write = Sync<int>((e, v) => set(e, v)),
            Match = v => match((int)v!),
            Export = (e, w, _) => w.Number(get(e)),
        };
    }

    /// <summary>A whole number that may be absent (<c>null</c>); not exported while absent.</summary>
    public static Field<T> OptionalNumber(string name, Expression<Func<T, int?>> property, int min, int max)
    {
        var (set, match) = Member(property);
        var get = property.Compile();
        return new()
        {
            Name = name,
            Convert = v => v is null ? null
                : FieldValues.Number(v) is var n && n >= min && n <= max ? n : throw new BlueprintException($"must be between {min} and {max}, or null."),
            Write = (e, v, _) => { set(e, (int?)v); return Task.CompletedTask; },
            Match = v => match((int?)v),
            Export = (e, w, _) => w.Number(get(e)!.Value),
            IsNull = e => get(e) is null,
            OmittedWhenNull = true,
        };
    }

    public static Field<T> Choice<TEnum>(string name, Expression<Func<T, TEnum>> property) where TEnum : struct, Enum
    {
        var (set, match) = Member(property);
        var get = property.Compile();
        return new()
        {
            Name = name, Convert = v => FieldValues.Choice<TEnum>(v), Write = Sync<TEnum>((e, v) => set(e, v)), Match = v => match((TEnum)v!),
            Export = (e, w, _) => w.Text(Domain.Wire.Name(get(e))),
        };
    }

    public static Field<T> Timestamp(string name, Expression<Func<T, DateTime?>> property)
    {
        var (set, match) = Member(property);
        return new() { Name = name, Convert = v => FieldValues.Timestamp(v), Write = Sync<DateTime?>((e, v) => set(e, v)), Match = v => match((DateTime?)v) };
    }

    /// <summary>A JSON document (attributes, fixed_data). Not an identifier: authentik matches those by containment.</summary>
    public static Field<T> Json(string name, Expression<Func<T, System.Text.Json.Nodes.JsonObject>> property)
    {
        var (set, _) = Member(property);
        var get = property.Compile();
        // PostgreSQL's jsonb reorders keys; equal documents are left alone so that a re-import is no change there too.
        return new()
        {
            Name = name,
            Convert = v => FieldValues.Object(v),
            Write = Sync<System.Text.Json.Nodes.JsonObject>((e, v) =>
            {
                if (!System.Text.Json.Nodes.JsonNode.DeepEquals(get(e), v)) set(e, v);
            }),
            Export = (e, w, _) => w.Json(get(e)),
        };
    }

    /// <summary>A reference by pk to another model's object, which must exist.</summary>
    /// <param name="referencedAs">The model an export looks the target up in, when it is not <paramref name="targetModel"/>
    /// (<see cref="PolicyModels.AnyPolicyName"/>: a policy of any kind).</param>
    public static Field<T> Reference<TTarget>(string name, string targetModel, Expression<Func<T, Guid?>> property, bool nullable = true, string? referencedAs = null)
        where TTarget : class
    {
        var (set, match) = Member(property);
        var get = property.Compile();
        return new()
        {
            Name = name,
            Convert = v => FieldValues.Key(v, nullable),
            Write = async (e, v, ctx) =>
            {
                if (v is Guid g) await Models.References.RequireAsync<TTarget>(ctx, g, targetModel);
                set(e, (Guid?)v);
            },
            Match = v => match((Guid?)v),
            Export = (e, w, ctx) => { if (get(e) is { } pk) w.KeyOf(ctx.EntryId(pk)); else w.Null(); },
            IsNull = e => get(e) is null,
            References = e => get(e) is { } pk ? [(referencedAs ?? targetModel, pk)] : [],
        };
    }

    /// <summary>A required reference whose property is not nullable (a binding's flow and stage).</summary>
    public static Field<T> RequiredReference<TTarget>(string name, string targetModel, Expression<Func<T, Guid>> property) where TTarget : class
    {
        var (set, match) = Member(property);
        var get = property.Compile();
        return new()
        {
            Name = name,
            Convert = v => FieldValues.Key(v, nullable: false),
            Write = async (e, v, ctx) =>
            {
                await Models.References.RequireAsync<TTarget>(ctx, (Guid)v!, targetModel);
                set(e, (Guid)v!);
            },
            Match = v => match((Guid)v!),
            Export = (e, w, ctx) => w.KeyOf(ctx.EntryId(get(e))),
        };
    }

    public static Field<T> UserReference(string name, Expression<Func<T, int?>> property)
    {
        var (set, match) = Member(property);
        var get = property.Compile();
        return new()
        {
            Name = name,
            Convert = v => FieldValues.UserKey(v, nullable: true),
            Write = async (e, v, ctx) =>
            {
                if (v is int id && await ctx.Db.Users.FindAsync([id], ctx.Ct) is null)
                    throw new BlueprintException($"no authentik_core.user with pk {id}.");
                set(e, (int?)v);
            },
            Match = v => match((int?)v),
            // Users are not exported: the entry finds the user by username where the blueprint is applied.
            Export = (e, w, ctx) => { if (get(e) is { } pk) w.Find(CoreUserModel, "username", ctx.Username(pk)); else w.Null(); },
            IsNull = e => get(e) is null,
        };
    }

    /// <summary>A many-to-many list of pks (a prompt stage's fields, a user's groups). Replaces the whole list.</summary>
    /// <param name="pk">The target's pk, for exports (<c>!KeyOf</c> each item); null: not exported.</param>
    /// <param name="order">The order an export lists the items in; null: as stored.</param>
    public static Field<T> Many<TTarget>(string name, string targetModel, string navigationName, Func<T, List<TTarget>> collection,
        Func<TTarget, Guid>? pk = null, Func<IEnumerable<TTarget>, IEnumerable<TTarget>>? order = null, string? referencedAs = null)
        where TTarget : class
    {
        return new()
        {
            Name = name,
            Convert = v => FieldValues.List(v).Select((item, i) =>
            {
                try { return FieldValues.Key(item, nullable: false)!.Value; }
                catch (BlueprintException e) { throw new BlueprintException($"item {i}: {e.Message}"); }
            }).Distinct().ToList(),
            Write = async (e, v, ctx) =>
            {
                var ids = (List<Guid>)v!;
                var targets = await References.LoadAsync<TTarget>(ctx, ids, targetModel);
                var entry = ctx.Db.Entry(e);
                if (entry.State is Microsoft.EntityFrameworkCore.EntityState.Unchanged or Microsoft.EntityFrameworkCore.EntityState.Modified && !entry.Collection(navigationName).IsLoaded)
                    await entry.Collection(navigationName).LoadAsync(ctx.Ct);
                var list = collection(e);
                // Clear-and-refill of the same tracked objects is no change to EF, so a re-import stays "unchanged".
                list.Clear();
                list.AddRange(targets);
            },
            Export = pk is null ? null : (e, w, ctx) =>
            {
                w.List();
                foreach (var item in (order ?? (items => items))(collection(e))) w.KeyOf(ctx.EntryId(pk(item)));
                w.EndList();
            },
            References = pk is null ? null : e => collection(e).Select(item => (referencedAs ?? targetModel, pk(item))),
        };
    }

    public static Field<T> Custom(string name, Func<object?, object?> convert, Func<T, object?, WriteContext, Task> write,
        Func<object?, Expression<Func<T, bool>>>? match = null, Action<T, BlueprintWriter, ExportContext>? export = null) =>
        new() { Name = name, Convert = convert, Write = write, Match = match, Export = export };

    /// <summary>A field whose conversion and write are <paramref name="inner"/>'s after a check or conversion of its own.</summary>
    public static Field<T> Wrap(Field<T> inner, Func<object?, object?> convert) =>
        new() { Name = inner.Name, Convert = convert, Write = inner.Write, Match = inner.Match, Export = inner.Export, IsNull = inner.IsNull, References = inner.References, OmittedWhenNull = inner.OmittedWhenNull };

    private const string CoreUserModel = "authentik_core.user";

    private static Func<T, object?, WriteContext, Task> Sync<TValue>(Action<T, TValue> set) => (e, v, _) =>
    {
        set(e, (TValue)v!);
        return Task.CompletedTask;
    };

    /// <summary>A setter and an equality predicate compiled from <c>x => x.Property</c>.</summary>
    public static (Action<T, TValue> Set, Func<TValue, Expression<Func<T, bool>>> Match) Member<TValue>(Expression<Func<T, TValue>> property)
    {
        var member = (MemberExpression)property.Body;
        var entity = property.Parameters[0];
        var value = Expression.Parameter(typeof(TValue), "value");
        var set = Expression.Lambda<Action<T, TValue>>(Expression.Assign(member, value), entity, value).Compile();
        // The value goes in through a holder's property, which EF turns into a query parameter: one compiled query
        // per field instead of one per value (a constant would make every lookup a new query to compile).
        return (set, v => Expression.Lambda<Func<T, bool>>(
            Expression.Equal(member, Expression.Property(Expression.Constant(new Holder<TValue>(v)), nameof(Holder<TValue>.Value))), entity));
    }

    private sealed class Holder<TValue>(TValue value)
    {
        public TValue Value { get; } = value;
    }
}
