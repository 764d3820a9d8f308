using Enrollment.Domain;

namespace Enrollment.Tests.Infrastructure;

/// <summary>
/// The enrollment flow of authentik's "invitation-based enrollment" guide: invitation stage, a prompt stage for
/// username, name, email and the password twice, a user write stage and a user login stage.
/// </summary>
public sealed record EnrollmentSetup(Flow Flow, InvitationStage Invitation, PromptStage Prompts, UserWriteStage Write, UserLoginStage Login)
{
    public static async Task<EnrollmentSetup> CreateAsync(EnrollmentApp app, string slug, UserType type = UserType.External,
        string pathTemplate = "", Group? group = null, bool continueWithoutInvitation = false, Action<FlowStageBinding>? configurePrompt = null)
    {
        var flow = new Flow { Name = $"Enrollment {slug}", Slug = slug, Title = $"Welcome to {slug}", Designation = FlowDesignation.Enrollment };
        var prompts = new List<Prompt>
        {
            new() { Name = $"{slug}-username", FieldKey = "username", Label = "Username", Type = PromptType.Username, Order = 0 },
            new() { Name = $"{slug}-name", FieldKey = "name", Label = "Name", Type = PromptType.Text, Order = 1 },
            new() { Name = $"{slug}-email", FieldKey = "email", Label = "Email", Type = PromptType.Email, Order = 2 },
            new() { Name = $"{slug}-password", FieldKey = "password", Label = "Password", Type = PromptType.Password, Order = 3 },
            new() { Name = $"{slug}-password-repeat", FieldKey = "password_repeat", Label = "Password (repeat)", Type = PromptType.Password, Order = 4 },
        };
        var invitation = new InvitationStage { Name = $"{slug}-invitation", ContinueFlowWithoutInvitation = continueWithoutInvitation };
        var prompt = new PromptStage { Name = $"{slug}-prompts", Fields = prompts };
        var write = new UserWriteStage { Name = $"{slug}-write", UserType = type, UserPathTemplate = pathTemplate, CreateUsersGroupId = group?.Id };
        var login = new UserLoginStage { Name = $"{slug}-login" };
        var promptBinding = new FlowStageBinding { Flow = flow, Stage = prompt, Order = 10 };
        configurePrompt?.Invoke(promptBinding);
        await app.DbAsync(db =>
        {
            db.AddRange(flow, invitation, prompt, write, login);
            db.AddRange(
                new FlowStageBinding { Flow = flow, Stage = invitation, Order = 0 },
                promptBinding,
                new FlowStageBinding { Flow = flow, Stage = write, Order = 20 },
                new FlowStageBinding { Flow = flow, Stage = login, Order = 30 });
            return db.SaveChangesAsync();
        });
        return new EnrollmentSetup(flow, invitation, prompt, write, login);
    }

    public async Task<Invitation> InviteAsync(EnrollmentApp app, string name, bool singleUse = true, System.Text.Json.Nodes.JsonObject? fixedData = null, DateTime? expires = null)
    {
        var invitation = new Invitation { Name = name, FlowId = Flow.Id, SingleUse = singleUse, FixedData = fixedData ?? [], Expires = expires };
        await app.DbAsync(db => { db.Invitations.Add(invitation); return db.SaveChangesAsync(); });
        return invitation;
    }

    public string Link(Invitation invitation) => $"/if/flow/{Flow.Slug}/?itoken={invitation.Id}";

    public static (string, string)[] Answers(string username, string password = "Enroll-Passw0rd!", string? name = null, string? email = null) =>
    [
        ("username", username), ("name", name ?? $"Name of {username}"), ("email", email ?? $"{username}@example.com"),
        ("password", password), ("password_repeat", password),
    ];
}
