namespace Enrollment.Features.Invitations.Shared;

/// <summary>
/// Invitations of a bulk run are named <c>bulk-&lt;first 8 hex digits of the run's id&gt;-&lt;row&gt;</c>: authentik's
/// rule (letters, digits, '_', '-'), and searching the invitations list for the prefix finds the whole run.
/// </summary>
public static class BulkInvitationNames
{
    public static string Prefix(Guid runId) => $"bulk-{runId.ToString("N")[..8]}-";
}
