using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Fuzz;

/// <summary>The rows a hostile request could write by mistake, counted before and after it.</summary>
public sealed record FuzzCounts(int Users, int Invitations, int Plans, int Events)
{
    public static Task<FuzzCounts> OfAsync(EnrollmentApp app) => app.DbAsync(async db => new FuzzCounts(
        await db.Users.CountAsync(), await db.Invitations.CountAsync(), await db.FlowPlans.CountAsync(), await db.Events.CountAsync()));
}
