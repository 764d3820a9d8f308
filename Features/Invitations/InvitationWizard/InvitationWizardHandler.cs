using Enrollment.Domain;
using Enrollment.Features.Invitations.Shared;
using Enrollment.Features.Stages.Email;
using Enrollment.Features.Stages.Invitation;
using Enrollment.Features.Stages.Prompt;
using Enrollment.Features.Stages.Shared;
using Enrollment.Features.Stages.UserLogin;
using Enrollment.Features.Stages.UserWrite;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Features.Invitations.InvitationWizard.InvitationWizard;

namespace Enrollment.Features.Invitations.InvitationWizard;

/// <summary>
/// The wizard's write: the flow (from the template, or found), the invitation through the create command, in one
/// transaction; then the emails through the queue command. The template's objects are named after the flow's slug
/// (<c>slug-credentials</c>, <c>slug-username</c>…), which is how a second run finds and reuses them.
/// </summary>
internal sealed class InvitationWizardHandler(AppDbContext db, ISender sender, AuditTrail audit, StageKinds kinds)
    : ICommandHandler<Command, FormResult<Created>>
{
    public async ValueTask<FormResult<Created>> Handle(Command command, CancellationToken ct)
    {
        var input = command.Input;
        var errors = new List<FieldError>();
        var addresses = SendInvitation.SendInvitation.Form.Split(input.Addresses);
        if (input.Mode == "new")
        {
            if (string.IsNullOrWhiteSpace(input.FlowName)) errors.Add(new(nameof(WizardForm.FlowName), "Name the new flow."));
            if (string.IsNullOrWhiteSpace(input.FlowSlug)) errors.Add(new(nameof(WizardForm.FlowSlug), "Give the new flow a slug (its address: /if/flow/<slug>/)."));
            if (input.GroupId is { } g && !await db.Groups.AnyAsync(x => x.Id == g, ct)) errors.Add(new(nameof(WizardForm.GroupId), "That group does not exist."));
        }
        else if (string.IsNullOrWhiteSpace(input.ExistingFlowSlug))
        {
            errors.Add(new(nameof(WizardForm.ExistingFlowSlug), "Choose the enrollment flow."));
        }
        if (errors.Count > 0) return FormResult<Created>.Fail(errors);

        var created = await db.RetryingAsync(async _ =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var local = new List<FieldError>();
            var slug = input.Mode == "new" ? await EnsureFlowAsync(input, local, ct) : input.ExistingFlowSlug!.Trim();
            if (local.Count > 0) { await tx.RollbackAsync(ct); return FormResult<Guid>.Fail(local); }
            input.Invitation.FlowSlug = slug;
            var result = await sender.Send(new Enrollment.Features.Invitations.CreateInvitation.CreateInvitation.Command(input.Invitation), ct);
            if (!result.Succeeded)
            {
                await tx.RollbackAsync(ct);
                // The invitation's fields are named under Invitation.; a flow problem is the wizard's own field.
                return FormResult<Guid>.Fail([.. result.Errors.Select(e => e.Field == nameof(InvitationForm.FlowSlug)
                    ? new FieldError(input.Mode == "new" ? nameof(WizardForm.FlowSlug) : nameof(WizardForm.ExistingFlowSlug), e.Message)
                    : new FieldError($"{nameof(WizardForm.Invitation)}.{e.Field}", e.Message))]);
            }
            await tx.CommitAsync(ct);
            return result;
        }, ct);
        if (!created.Succeeded) return FormResult<Created>.Fail(created.Errors);

        var queued = 0;
        if (addresses.Count > 0)
        {
            var sent = await sender.Send(new Enrollment.Features.Invitations.QueueInvitationEmails.QueueInvitationEmails.Command(created.Value, addresses, [], [], null, command.BaseUrl, command.RequestedById), ct);
            if (!sent.Succeeded)
            {
                // The invitation stands; the page says why nothing was emailed and the admin sends from it.
                var why = sent.Errors.Count > 0 ? string.Join(" ", sent.Errors.Select(e => e.Message))
                    : sent.Refused is { } refused ? Enrollment.Features.Invitations.QueueInvitationEmails.QueueInvitationEmails.PageMessage(refused) : "";
                return FormResult<Created>.Ok(new Created(created.Value, 0, why));
            }
            queued = sent.Queued;
        }
        return FormResult<Created>.Ok(new Created(created.Value, queued));
    }

    /// <summary>The template flow under <see cref="WizardForm.FlowSlug"/>: found (an enrollment flow), or created with its stages.</summary>
    private async Task<string> EnsureFlowAsync(WizardForm input, List<FieldError> errors, CancellationToken ct)
    {
        var slug = input.FlowSlug!.Trim();
        var existing = await db.Flows.SingleOrDefaultAsync(f => f.Slug == slug, ct);
        if (existing is not null)
        {
            if (existing.Designation != FlowDesignation.Enrollment)
                errors.Add(new(nameof(WizardForm.FlowSlug), $"A {Wire.Name(existing.Designation)} flow already has this slug; choose another."));
            return slug;
        }
        var flow = new Flow { Name = input.FlowName!.Trim(), Slug = slug, Title = input.FlowName!.Trim(), Designation = FlowDesignation.Enrollment };
        db.Flows.Add(flow);

        var stages = new List<Stage>
        {
            await StageAsync($"{slug}-invitation", () => new InvitationStage { Name = "" }, errors, ct),
            await PromptStageAsync($"{slug}-credentials", [
                (PromptType.Username, "username", "Username"), (PromptType.Password, "password", "Password"),
                (PromptType.Password, "password_repeat", "Password (repeat)")], errors, ct),
            await PromptStageAsync($"{slug}-details", [(PromptType.Text, "name", "Name"), (PromptType.Email, "email", "Email")], errors, ct),
        };
        if (input.EmailVerification)
            stages.Add(await StageAsync($"{slug}-email", () => new EmailStage { Name = "", UseGlobalSettings = true, ActivateUserOnSuccess = true }, errors, ct));
        stages.Add(await StageAsync($"{slug}-write", () => new UserWriteStage
        {
            Name = "",
            UserType = input.UserType == "internal" ? UserType.Internal : UserType.External,
            UserPathTemplate = (input.UserPath ?? "").Trim(),
            CreateUsersGroupId = input.GroupId,
            CreateUsersAsInactive = input.EmailVerification,
        }, errors, ct));
        stages.Add(await StageAsync($"{slug}-login", () => new UserLoginStage { Name = "" }, errors, ct));
        if (errors.Count > 0) return slug;
        for (var i = 0; i < stages.Count; i++)
            db.Set<FlowStageBinding>().Add(new FlowStageBinding { FlowId = flow.Id, StageId = stages[i].Id, Order = (i + 1) * 10 });
        audit.Record("model_created", AuditTrail.Model("authentik_flows", flow.Name, flow.Id, "flow"));
        await db.SaveChangesAsync(ct);
        return slug;
    }

    /// <summary>The stage of this name and kind, or a new one (a stage of another kind with the name is an error).</summary>
    private async Task<Stage> StageAsync<T>(string name, Func<T> create, List<FieldError> errors, CancellationToken ct) where T : Stage
    {
        var found = await db.Stages.SingleOrDefaultAsync(s => s.Name == name, ct);
        if (found is T same) return same;
        if (found is not null)
        {
            errors.Add(new(nameof(WizardForm.FlowSlug), $"A stage named “{name}” exists and is a {kinds.Of(found).Label.ToLowerInvariant()}; choose another slug."));
            return found;
        }
        var stage = create();
        stage.Name = name;
        db.Stages.Add(stage);
        audit.Record("model_created", kinds.AuditModel(stage));
        return stage;
    }

    private async Task<Stage> PromptStageAsync(string name, (PromptType Type, string Key, string Label)[] fields, List<FieldError> errors, CancellationToken ct)
    {
        var stage = await StageAsync(name, () => new PromptStage { Name = "" }, errors, ct);
        if (stage is not PromptStage prompts || db.Entry(prompts).State != EntityState.Added) return stage;
        var order = 0;
        foreach (var (type, key, label) in fields)
        {
            var promptName = $"{name}-{key}";
            var prompt = await db.Prompts.SingleOrDefaultAsync(p => p.Name == promptName, ct)
                         ?? db.Prompts.Add(new Domain.Prompt { Name = promptName, FieldKey = key, Label = label, Type = type, Required = true, Order = order }).Entity;
            order += 10;
            prompts.Fields.Add(prompt);
        }
        return stage;
    }
}
