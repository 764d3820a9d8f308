namespace Enrollment.Features.Api.Shared;

public static class ApiResultExtensions
{
    public static async Task<IResult> ToHttp<T>(this ValueTask<ApiResult<T>> result) => (await result).ToHttp();
}
