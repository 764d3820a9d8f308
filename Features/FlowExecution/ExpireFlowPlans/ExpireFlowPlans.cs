using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.FlowExecution.ExpireFlowPlans;

/// <summary>Deletes flow plans past their lifetime: abandoned enrollments must not pile up in the database.</summary>
public static class ExpireFlowPlans
{
    public sealed record Command(DateTime Now) : ICommand<int>;

    internal sealed class Handler(AppDbContext db) : ICommandHandler<Command, int>
    {
        public async ValueTask<int> Handle(Command command, CancellationToken ct) =>
            await db.FlowPlans.Where(p => p.Expires <= command.Now).ExecuteDeleteAsync(ct);
    }
}
