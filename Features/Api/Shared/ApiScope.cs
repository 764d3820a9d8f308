using Enrollment.Infrastructure.Data;

namespace Enrollment.Features.Api.Shared;

/// <summary>What an API resource's hooks may use during one request.</summary>
public sealed record ApiScope(HttpContext Http, AppDbContext Db, CancellationToken Ct)
{
    public IServiceProvider Services => Http.RequestServices;

    public IQueryCollection Query => Http.Request.Query;
}
