using Enrollment.Features.Api.Brands;
using Enrollment.Features.Api.Groups;
using Enrollment.Features.Api.Tokens;
using Enrollment.Features.Api.Users;

namespace Enrollment.Features.Api;

/// <summary>authentik's directory under <c>/api/v3/core/</c>: users, groups, tokens and brands.</summary>
public static class DirectoryApiEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        new UsersResource().Map(api);
        new GroupsResource().Map(api);
        new TokensResource().Map(api);
        new BrandsResource().Map(api);
    }
}
