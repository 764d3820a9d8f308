using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Admin.Overview;

public sealed class Overview(ISender sender) : PageModel
{
    public Result Data { get; private set; } = null!;

    public async Task OnGetAsync() => Data = await sender.Send(new Query());

    public sealed record Query : IQuery<Result>;

    public sealed record Result(int Flows, int Stages, int Invitations, int Users);

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken ct) => new(
            await db.Flows.CountAsync(ct), await db.Stages.CountAsync(ct), await db.Invitations.CountAsync(ct), await db.Users.CountAsync(Domain.User.People, ct));
    }
}
