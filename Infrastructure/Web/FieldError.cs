namespace Enrollment.Infrastructure.Web;

/// <summary>An expected failure of a command, tied to the form field it concerns ("" for the whole form).</summary>
public sealed record FieldError(string Field, string Message);
