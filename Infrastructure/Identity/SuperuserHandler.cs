using System.Security.Claims;
using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Identity;

internal sealed class SuperuserHandler(SuperuserCheck check) : AuthorizationHandler<SuperuserRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, SuperuserRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated == true && await check.IsSuperuserAsync(context.User))
            context.Succeed(requirement);
    }
}
