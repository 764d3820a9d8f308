using System.Linq.Expressions;

namespace Enrollment.Domain;

/// <summary>
/// Puts rules written once as expressions (<see cref="Invitation.ExpiredAt"/>, <see cref="Invitation.UsedUp"/>, …) into
/// queries, so the database evaluates them along with the query's own columns. The values a rule is bound to become
/// query parameters, as a captured variable does, so every call shares one cached query plan.
/// </summary>
public static class QueryRules
{
    /// <summary>A two-argument rule with its second argument fixed to <paramref name="value"/>.</summary>
    public static Expression<Func<T, bool>> Bind<T, TValue>(Expression<Func<T, TValue, bool>> rule, TValue value)
    {
        // The body of a lambda returning a captured variable is what the compiler writes for a closure, which query
        // providers turn into a parameter (a constant would be inlined into the SQL and cached once per value).
        Expression<Func<TValue>> captured = () => value;
        return Expression.Lambda<Func<T, bool>>(Replace(rule.Body, rule.Parameters[1], captured.Body), rule.Parameters[0]);
    }

    /// <summary>True when none of <paramref name="rules"/> holds.</summary>
    public static Expression<Func<T, bool>> NoneOf<T>(params Expression<Func<T, bool>>[] rules)
    {
        var item = Expression.Parameter(typeof(T), "i");
        var body = rules.Select(r => (Expression)Expression.Not(Inline(r, item))).Aggregate(Expression.AndAlso);
        return Expression.Lambda<Func<T, bool>>(body, item);
    }

    /// <summary>True when all of <paramref name="rules"/> hold.</summary>
    public static Expression<Func<T, bool>> AllOf<T>(params Expression<Func<T, bool>>[] rules)
    {
        var item = Expression.Parameter(typeof(T), "i");
        var body = rules.Select(r => Inline(r, item)).Aggregate(Expression.AndAlso);
        return Expression.Lambda<Func<T, bool>>(body, item);
    }

    /// <summary>
    /// Projects each row with the values of two rules, e.g.
    /// <c>invitations.SelectWith(Invitation.ExpiredAt(now), Invitation.UsedUp, (i, expired, usedUp) =&gt; new Row(i.Name, expired, usedUp))</c>.
    /// </summary>
    public static IQueryable<TResult> SelectWith<T, TA, TB, TResult>(this IQueryable<T> query,
        Expression<Func<T, TA>> a, Expression<Func<T, TB>> b, Expression<Func<T, TA, TB, TResult>> shape)
    {
        var item = shape.Parameters[0];
        var body = Replace(Replace(shape.Body, shape.Parameters[1], Inline(a, item)), shape.Parameters[2], Inline(b, item));
        return query.Select(Expression.Lambda<Func<T, TResult>>(body, item));
    }

    private static Expression Inline(LambdaExpression rule, Expression argument) => Replace(rule.Body, rule.Parameters[0], argument);

    private static Expression Replace(Expression body, ParameterExpression parameter, Expression by) => new Replacer(parameter, by).Visit(body);

    private sealed class Replacer(ParameterExpression parameter, Expression by) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? by : node;
    }
}
