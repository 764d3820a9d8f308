using Enrollment.Infrastructure.Blueprints;
using Mediator;

namespace Enrollment.Features.Blueprints.ApplyInstance;

/// <summary>
/// Applies one blueprint instance now, whatever its hash: the admin's Apply button and the API's
/// <c>POST /managed/blueprints/{instance_uuid}/apply/</c> send this. Null when there is no such instance.
/// </summary>
public static class ApplyInstance
{
    public sealed record Command(Guid Id) : ICommand<BlueprintResult?>;

    internal sealed class Handler(BlueprintInstances instances) : ICommandHandler<Command, BlueprintResult?>
    {
        public async ValueTask<BlueprintResult?> Handle(Command command, CancellationToken ct) => await instances.ApplyAsync(command.Id, ct);
    }
}
