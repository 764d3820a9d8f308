namespace Enrollment.Features.Api.Shared;

/// <summary>
/// What an API query returns: the body and its status. Expected failures (bad filters, unknown ids) are results,
/// not exceptions, and carry the body authentik/DRF would send: <c>{"field": ["message"]}</c> or <c>{"detail": "…"}</c>.
/// </summary>
public sealed record ApiResult<T>(T? Value, int Status, object? Error)
{
    public static ApiResult<T> Ok(T value) => new(value, StatusCodes.Status200OK, null);
    public static ApiResult<T> Created(T value) => new(value, StatusCodes.Status201Created, null);
    public static ApiResult<T> Invalid(FieldErrors errors) => new(default, StatusCodes.Status400BadRequest, errors.ToBody());
    public static ApiResult<T> NotFound(string detail = "Not found.") => new(default, StatusCodes.Status404NotFound, new { detail });

    public ApiResult<TOther> As<TOther>() => Value is null ? new(default, Status, Error) : throw new InvalidOperationException("Only failures can change type.");

    public IResult ToHttp() => Results.Json(Status is >= 200 and < 300 ? Value : Error, ApiJson.Options, statusCode: Status);
}
