using Enrollment.Domain;
using Enrollment.Features.Flows.Shared;
using Enrollment.Features.Stages.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Flows.FlowBindings;

/// <summary>Binds an existing stage, or a new one created with default settings, to a flow.</summary>
public static class BindStage
{
    public sealed class Command : BindingForm, ICommand<FormResult<Guid>?>
    {
        public Guid? StageId { get; set; }
        public string? NewStageKind { get; set; }
        public string? NewStageName { get; set; }
        internal string FlowSlug { get; set; } = "";
    }

    internal sealed class Handler(AppDbContext db, AuditTrail audit, StageKinds kinds) : ICommandHandler<Command, FormResult<Guid>?>
    {
        public async ValueTask<FormResult<Guid>?> Handle(Command command, CancellationToken ct)
        {
            var flow = await db.Flows.SingleOrDefaultAsync(f => f.Slug == command.FlowSlug, ct);
            if (flow is null) return null;
            var (stage, error) = await ResolveStageAsync(command, ct);
            if (error is not null) return FormResult<Guid>.Fail([error]);
            if (await db.FlowStageBindings.AnyAsync(b => b.FlowId == flow.Id && b.StageId == stage!.Id && b.Order == command.Order, ct))
                return FormResult<Guid>.Fail(nameof(command.Order), "This stage is already bound to this flow at this order.");

            var binding = new FlowStageBinding { FlowId = flow.Id, StageId = stage!.Id };
            command.ApplyTo(binding);
            db.FlowStageBindings.Add(binding);
            audit.Record("model_created", AuditTrail.Model("authentik_flows", $"{flow.Slug} → {stage.Name}", binding.Id, "flowstagebinding"));
            await db.SaveChangesAsync(ct);
            return FormResult<Guid>.Ok(binding.Id);
        }

        private async Task<(Stage?, FieldError?)> ResolveStageAsync(Command command, CancellationToken ct)
        {
            if (command.StageId is { } id)
            {
                var existing = await db.Stages.SingleOrDefaultAsync(s => s.Id == id, ct);
                return existing is null ? (null, new FieldError(nameof(command.StageId), "That stage does not exist (any more).")) : (existing, null);
            }
            var name = command.NewStageName?.Trim() ?? "";
            var stage = kinds.Find(command.NewStageKind)?.New(name);
            if (stage is null) return (null, new FieldError(nameof(command.StageId), "Choose an existing stage, or the kind and name of a new one."));
            if (name.Length == 0) return (null, new FieldError(nameof(command.NewStageName), "Enter a name for the new stage."));
            if (name.Length > 200) return (null, new FieldError(nameof(command.NewStageName), "Use at most 200 characters."));
            if (await db.Stages.AnyAsync(s => s.Name == name, ct)) return (null, new FieldError(nameof(command.NewStageName), "A stage with this name already exists."));
            db.Stages.Add(stage);
            return (stage, null);
        }
    }
}
