using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;

namespace Enrollment.Features.Stages.Shared;

/// <summary>The kinds of stage: their wire names (as in the URL and the discriminator), labels and audit names.</summary>
public static class StageKinds
{
    public static IReadOnlyList<StageKind> All { get; } = Enum.GetValues<StageKind>();

    public static bool TryParse(string? wireName, out StageKind kind) => Wire.TryParse(wireName, out kind);

    public static string Label(StageKind kind) => kind switch
    {
        StageKind.Invitation => "Invitation stage",
        StageKind.Prompt => "Prompt stage",
        StageKind.UserWrite => "User write stage",
        StageKind.UserLogin => "User login stage",
        StageKind.Email => "Email stage",
        _ => Wire.Name(kind),
    };

    public static string Label(string wireName) => TryParse(wireName, out var kind) ? Label(kind) : wireName;

    public static string Description(StageKind kind) => kind switch
    {
        StageKind.Invitation => "Checks the invitation link and pre-fills the prompts with its fixed data.",
        StageKind.Prompt => "Asks the invitee for the values of its prompts.",
        StageKind.UserWrite => "Creates or updates the user from the collected values.",
        StageKind.UserLogin => "Signs the new user in.",
        StageKind.Email => "Sends a link to the user's email address and waits until it is opened.",
        _ => "",
    };

    public static Stage New(StageKind kind) => kind switch
    {
        StageKind.Invitation => new InvitationStage { Name = "" },
        StageKind.Prompt => new PromptStage { Name = "" },
        StageKind.UserWrite => new UserWriteStage { Name = "" },
        StageKind.UserLogin => new UserLoginStage { Name = "" },
        StageKind.Email => new EmailStage { Name = "" },
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The event context authentik records for a stage: its app label and model name.</summary>
    public static JsonObject AuditModel(Stage stage) => stage.Kind switch
    {
        StageKind.Invitation => AuditTrail.Model("authentik_stages_invitation", stage.Name, stage.Id, "invitationstage"),
        StageKind.Prompt => AuditTrail.Model("authentik_stages_prompt", stage.Name, stage.Id, "promptstage"),
        StageKind.UserWrite => AuditTrail.Model("authentik_stages_user_write", stage.Name, stage.Id, "userwritestage"),
        StageKind.Email => AuditTrail.Model("authentik_stages_email", stage.Name, stage.Id, "emailstage"),
        _ => AuditTrail.Model("authentik_stages_user_login", stage.Name, stage.Id, "userloginstage"),
    };
}
