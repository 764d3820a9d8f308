namespace Enrollment.Features.Api.Events;

/// <summary>
/// authentik's <c>EventActions</c> for the events Enrollment records. Most of ours are authentik's own; the few that
/// say more than authentik's list can (an invitation created, e-mailed, expired) are reported as the authentik action
/// that covers them, with the precise one kept in the context as <c>enrollment_action</c>.
/// </summary>
public static class EventActions
{
    private static readonly Dictionary<string, string> Ours = new(StringComparer.Ordinal)
    {
        ["invitation_created"] = "model_created",
        ["invitation_deleted"] = "model_deleted",
        ["invitation_expired"] = "model_deleted",
        ["invitation_sent"] = "email_sent",
        ["invitation_send_failed"] = "configuration_error",
        ["setup_completed"] = "password_set",
        ["blueprint_applied"] = "system_task_execution",
    };

    /// <summary>The authentik actions Enrollment records, with authentik's labels.</summary>
    public static readonly IReadOnlyList<(string Action, string Label)> Recorded =
    [
        ("login", "Login"), ("login_failed", "Login Failed"), ("user_write", "User Write"), ("password_set", "Password Set"),
        ("invitation_used", "Invite Used"), ("policy_execution", "Policy Execution"), ("policy_exception", "Policy Exception"),
        ("property_mapping_exception", "Property Mapping Exception"), ("system_task_execution", "System Task Execution"),
        ("configuration_error", "Configuration Error"), ("model_created", "Model Created"), ("model_updated", "Model Updated"),
        ("model_deleted", "Model Deleted"), ("email_sent", "Email Sent"),
    ];

    public static string ToAuthentik(string action) => Ours.GetValueOrDefault(action, action);

    /// <summary>The stored actions an authentik action filter matches: itself and ours reported as it, or an action of ours by its own name.</summary>
    public static IReadOnlyList<string> Matching(string action) =>
        [action, .. Ours.Where(p => p.Value == action).Select(p => p.Key)];
}
