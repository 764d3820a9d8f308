using System.Globalization;
using System.Linq.Expressions;
using Enrollment.Domain;
using Enrollment.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Shared;

/// <summary>
/// A viewset's django-filter fields and DRF <c>search</c>, declared once per resource: exact matches by name, each
/// value parsed with DRF's messages on a bad one (a typo is a 400, never a silently wider result), <c>search</c> as a
/// case-insensitive "contains" over the listed fields.
/// </summary>
public sealed class FilterSet<T> where T : class
{
    private readonly List<Func<IQueryable<T>, IQueryCollection, FieldErrors, IQueryable<T>>> _filters = [];

    public FilterSet<T> Text(string name, Expression<Func<T, string>> member) =>
        Add(name, (items, value, _) => items.Where(Equal(member, value)));

    public FilterSet<T> NullableText(string name, Expression<Func<T, string?>> member) =>
        Add(name, (items, value, _) => items.Where(Equal(member, (string?)value)));

    public FilterSet<T> Flag(string name, Expression<Func<T, bool>> member) =>
        Add(name, (items, value, errors) => Filters.Boolean(value, name, errors) is { } b ? items.Where(Equal(member, b)) : items);

    public FilterSet<T> Number(string name, Expression<Func<T, int>> member) =>
        Add(name, (items, value, errors) =>
        {
            if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return items.Where(Equal(member, n));
            errors.Add(name, "Enter a number.");
            return items;
        });

    public FilterSet<T> Choice<TEnum>(string name, Expression<Func<T, TEnum>> member) where TEnum : struct, Enum =>
        Add(name, (items, value, errors) => Filters.Choice<TEnum>(value, name, errors) is { } c ? items.Where(Equal(member, c)) : items);

    public FilterSet<T> Uuid(string name, Expression<Func<T, Guid>> member) =>
        Add(name, (items, value, errors) =>
        {
            if (Guid.TryParse(value, out var g)) return items.Where(Equal(member, g));
            errors.Add(name, "Enter a valid UUID.");
            return items;
        });

    public FilterSet<T> NullableUuid(string name, Expression<Func<T, Guid?>> member) =>
        Add(name, (items, value, errors) =>
        {
            if (Guid.TryParse(value, out var g)) return items.Where(Equal(member, (Guid?)g));
            errors.Add(name, "Enter a valid UUID.");
            return items;
        });

    /// <summary>Any other filter: given the raw value (never empty), narrows the items or adds an error.</summary>
    public FilterSet<T> Custom(string name, Func<IQueryable<T>, string, FieldErrors, IQueryable<T>> apply) => Add(name, apply);

    /// <summary>DRF's <c>search</c>: the term in any of the fields, ignoring case.</summary>
    public FilterSet<T> Search(params Expression<Func<T, string>>[] fields)
    {
        _filters.Add((items, query, _) =>
        {
            var term = query["search"].ToString();
            if (string.IsNullOrWhiteSpace(term)) return items;
            var like = Paging.LikePattern(term);
            var x = Expression.Parameter(typeof(T), "x");
            var method = typeof(DbFunctionsExtensions).GetMethod(nameof(DbFunctionsExtensions.Like),
                [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!;
            var toLower = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;
            Expression? any = null;
            foreach (var field in fields)
            {
                var member = new ParameterReplacer(field.Parameters[0], x).Visit(field.Body);
                var call = Expression.Call(method, Expression.Constant(EF.Functions), Expression.Call(member, toLower),
                    Expression.Property(Expression.Constant(new Holder<string>(like)), nameof(Holder<string>.Value)), Expression.Constant("\\"));
                any = any is null ? call : Expression.OrElse(any, call);
            }
            return any is null ? items : items.Where(Expression.Lambda<Func<T, bool>>(any, x));
        });
        return this;
    }

    public IQueryable<T> Apply(IQueryable<T> items, IQueryCollection query, FieldErrors errors)
    {
        foreach (var filter in _filters) items = filter(items, query, errors);
        return items;
    }

    private FilterSet<T> Add(string name, Func<IQueryable<T>, string, FieldErrors, IQueryable<T>> apply)
    {
        _filters.Add((items, query, errors) => query.TryGetValue(name, out var values) && !string.IsNullOrEmpty(values.ToString())
            ? apply(items, values.ToString(), errors)
            : items);
        return this;
    }

    /// <summary><c>x => x.Member == value</c>, the value a query parameter (one compiled query per filter, not per value).</summary>
    private static Expression<Func<T, bool>> Equal<TValue>(Expression<Func<T, TValue>> member, TValue value) =>
        Expression.Lambda<Func<T, bool>>(
            Expression.Equal(member.Body, Expression.Property(Expression.Constant(new Holder<TValue>(value)), nameof(Holder<TValue>.Value))),
            member.Parameters);

    private sealed class Holder<TValue>(TValue value)
    {
        public TValue Value { get; } = value;
    }

    private sealed class ParameterReplacer(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
