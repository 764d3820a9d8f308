using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Blueprints;

/// <summary>Deletes an instance (not the objects it made, as in authentik); false when there is none. A file still in the folder gets a new instance on the next discovery.</summary>
public static class DeleteBlueprintInstance
{
    public sealed record Command(Guid Id) : ICommand<bool>;

    internal sealed class Handler(AppDbContext db) : ICommandHandler<Command, bool>
    {
        public async ValueTask<bool> Handle(Command command, CancellationToken ct) =>
            await db.BlueprintInstances.Where(i => i.Id == command.Id).ExecuteDeleteAsync(ct) > 0;
    }
}
