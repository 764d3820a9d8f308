using System.Text.Json.Nodes;
using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Kit;

public static partial class FlowKit
{
    /// <summary>
    /// A flow (named <c>Flow {slug}</c>, titled <c>Title of {slug}</c>) with <paramref name="stages"/> bound in this
    /// order (orders 10, 20, …); <paramref name="configureFlow"/> sees the flow and <paramref name="configure"/> each binding first.
    /// </summary>
    public static async Task<(Flow Flow, List<FlowStageBinding> Bindings)> FlowAsync(EnrollmentApp app, string slug, IEnumerable<Stage> stages,
        Action<Flow>? configureFlow = null, Action<int, FlowStageBinding>? configure = null)
    {
        var flow = new Flow { Name = $"Flow {slug}", Slug = slug, Title = $"Title of {slug}" };
        configureFlow?.Invoke(flow);
        var bindings = stages.Select((s, i) => new FlowStageBinding { Flow = flow, Stage = s, Order = (i + 1) * 10 }).ToList();
        for (var i = 0; i < bindings.Count; i++) configure?.Invoke(i, bindings[i]);
        await app.DbAsync(db =>
        {
            db.Flows.Add(flow);
            db.FlowStageBindings.AddRange(bindings);
            return db.SaveChangesAsync();
        });
        return (flow, bindings);
    }

    /// <summary>A flow of the given designation with no stage, or with only an invitation stage (<c>{slug}-invitation</c>).</summary>
    public static async Task<Flow> FlowAsync(this EnrollmentApp app, string slug, FlowDesignation designation = FlowDesignation.Enrollment, bool withInvitationStage = false) =>
        (await FlowAsync(app, slug, withInvitationStage ? [new InvitationStage { Name = $"{slug}-invitation" }] : [],
            configureFlow: f => f.Designation = designation)).Flow;

    /// <summary>
    /// The enrollment flow of authentik's "invitation-based enrollment" guide, named <c>Enrollment {slug}</c> and
    /// titled <c>Welcome to {slug}</c>: invitation stage (order 0), a prompt stage for username, name, email and the
    /// password twice (10), a user write stage (20) and a user login stage (30).
    /// </summary>
    public static async Task<GuideFlow> GuideFlowAsync(EnrollmentApp app, string slug, UserType type = UserType.External,
        string pathTemplate = "", Group? group = null, bool continueWithoutInvitation = false, Action<FlowStageBinding>? configurePrompt = null)
    {
        var invitation = new InvitationStage { Name = $"{slug}-invitation", ContinueFlowWithoutInvitation = continueWithoutInvitation };
        var prompt = new PromptStage
        {
            Name = $"{slug}-prompts",
            Fields =
            [
                new() { Name = $"{slug}-username", FieldKey = "username", Label = "Username", Type = PromptType.Username, Order = 0 },
                new() { Name = $"{slug}-name", FieldKey = "name", Label = "Name", Type = PromptType.Text, Order = 1 },
                new() { Name = $"{slug}-email", FieldKey = "email", Label = "Email", Type = PromptType.Email, Order = 2 },
                new() { Name = $"{slug}-password", FieldKey = "password", Label = "Password", Type = PromptType.Password, Order = 3 },
                new() { Name = $"{slug}-password-repeat", FieldKey = "password_repeat", Label = "Password (repeat)", Type = PromptType.Password, Order = 4 },
            ],
        };
        var write = new UserWriteStage { Name = $"{slug}-write", UserType = type, UserPathTemplate = pathTemplate, CreateUsersGroupId = group?.Id };
        var login = new UserLoginStage { Name = $"{slug}-login" };
        var (flow, _) = await FlowAsync(app, slug, [invitation, prompt, write, login],
            configureFlow: f => { f.Name = $"Enrollment {slug}"; f.Title = $"Welcome to {slug}"; },
            configure: (i, binding) =>
            {
                binding.Order = i * 10;
                if (binding.Stage == prompt) configurePrompt?.Invoke(binding);
            });
        return new GuideFlow(flow, invitation, prompt, write, login);
    }

    /// <summary>Binds one more prompt stage with a single text field <paramref name="key"/> to <paramref name="flow"/> at <paramref name="order"/>.</summary>
    public static Task BindPromptStageAsync(EnrollmentApp app, Flow flow, string key, int order) => app.DbAsync(db =>
    {
        var stage = new PromptStage { Name = $"{flow.Slug}-{key}", Fields = [Field(flow.Slug, key)] };
        db.Add(stage);
        db.Add(new FlowStageBinding { FlowId = flow.Id, Stage = stage, Order = order });
        return db.SaveChangesAsync();
    });

    public static PromptStage PromptStageOf(string name, params Prompt[] prompts) => new() { Name = name, Fields = [.. prompts] };

    /// <summary>A prompt named <c>{prefix}-{key}</c>, labelled <paramref name="label"/> or else <c>Label of {key}</c>.</summary>
    public static Prompt Field(string prefix, string key, PromptType type = PromptType.Text, int order = 0, bool required = true, string? label = null) =>
        new() { Name = $"{prefix}-{key}", FieldKey = key, Label = label ?? $"Label of {key}", Type = type, Order = order, Required = required };

    /// <summary>The guide's prompt stage (<c>{slug}-account</c>): username, name, email, password, password_repeat.</summary>
    public static PromptStage AccountPrompts(string slug) => PromptStageOf($"{slug}-account",
        Field(slug, "username", PromptType.Username, 0), Field(slug, "name", order: 1), Field(slug, "email", PromptType.Email, 2),
        Field(slug, "password", PromptType.Password, 3), Field(slug, "password_repeat", PromptType.Password, 4));

    /// <summary>
    /// A flow titled "Join us" that confirms the address before signing in: a prompt stage (<c>{slug}-account</c>:
    /// Username, Email, Password, Password (repeat)), a user write stage creating the user inactive, an email stage
    /// sending to the SMTP server on <paramref name="smtpPort"/> that activates the user, a user login stage.
    /// </summary>
    public static Task EmailConfirmationFlowAsync(EnrollmentApp app, string slug, int smtpPort) => FlowAsync(app, slug,
        [
            PromptStageOf($"{slug}-account",
                Field(slug, "username", PromptType.Username, 0, label: "Username"), Field(slug, "email", PromptType.Email, 1, label: "Email"),
                Field(slug, "password", PromptType.Password, 2, label: "Password"), Field(slug, "password_repeat", PromptType.Password, 3, label: "Password (repeat)")),
            new UserWriteStage { Name = $"{slug}-write", CreateUsersAsInactive = true, UserType = UserType.Internal },
            new EmailStage { Name = $"{slug}-email", Host = "127.0.0.1", Port = smtpPort, Timeout = 5, FromAddress = "noreply@example.com", ActivateUserOnSuccess = true, Subject = "Confirm" },
            new UserLoginStage { Name = $"{slug}-login" },
        ],
        configureFlow: f => { f.Name = slug; f.Title = "Join us"; });

    public static async Task<Invitation> InvitationAsync(EnrollmentApp app, string name, Guid? flowId, bool singleUse = true, JsonObject? fixedData = null, DateTime? expires = null)
    {
        var invitation = new Invitation { Name = name, FlowId = flowId, SingleUse = singleUse, FixedData = fixedData ?? [], Expires = expires };
        await app.DbAsync(db => { db.Invitations.Add(invitation); return db.SaveChangesAsync(); });
        return invitation;
    }

    public static Task<bool> InvitationExistsAsync(EnrollmentApp app, Guid id) => app.DbAsync(db => db.Invitations.AnyAsync(i => i.Id == id));
}
