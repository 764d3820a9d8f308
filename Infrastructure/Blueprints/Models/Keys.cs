using System.Text.RegularExpressions;
using Enrollment.Domain;

namespace Enrollment.Infrastructure.Blueprints.Models;

internal static class Keys
{
    /// <summary>The <c>pk</c> of a model keyed by a UUID: an identifier, and the key a created object gets when given.</summary>
    public static Field<T> Guid<T>(System.Linq.Expressions.Expression<Func<T, Guid>> property) where T : class
    {
        var (set, match) = Fields<T>.Member(property);
        return Fields<T>.Custom("pk", v => FieldValues.Key(v, nullable: false), (e, v, _) =>
        {
            set(e, (Guid)v!);
            return Task.CompletedTask;
        }, v => match((Guid)v!));
    }
}
