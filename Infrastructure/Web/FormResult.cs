namespace Enrollment.Infrastructure.Web;

/// <summary>What a form command returns: the saved thing's key, or the errors to show next to the fields.</summary>
public sealed record FormResult<T>(T? Value, IReadOnlyList<FieldError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
    public static FormResult<T> Ok(T value) => new(value, []);
    public static FormResult<T> Fail(string field, string message) => new(default, [new FieldError(field, message)]);
    public static FormResult<T> Fail(IReadOnlyList<FieldError> errors) => new(default, errors);
}
