using System.Linq.Expressions;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Blueprints.Models;

/// <summary>Combines predicates over one parameter, so EF translates them as one WHERE clause.</summary>
internal static class Predicates
{
    public static Expression<Func<T, bool>>? And<T>(Expression<Func<T, bool>>? a, Expression<Func<T, bool>>? b) => Combine(a, b, Expression.AndAlso);

    public static Expression<Func<T, bool>>? Or<T>(Expression<Func<T, bool>>? a, Expression<Func<T, bool>>? b) => Combine(a, b, Expression.OrElse);

    private static Expression<Func<T, bool>>? Combine<T>(Expression<Func<T, bool>>? a, Expression<Func<T, bool>>? b, Func<Expression, Expression, BinaryExpression> op)
    {
        if (a is null || b is null) return a ?? b;
        var body = new Rebind(b.Parameters[0], a.Parameters[0]).Visit(b.Body);
        return Expression.Lambda<Func<T, bool>>(op(a.Body, body), a.Parameters);
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
