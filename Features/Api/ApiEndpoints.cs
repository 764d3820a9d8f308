namespace Enrollment.Features.Api;

public static class ApiEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
    }
}
