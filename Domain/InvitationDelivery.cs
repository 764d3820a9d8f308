using System.Linq.Expressions;
using System.Text.Json.Nodes;

namespace Enrollment.Domain;

/// <summary>
/// One invitation email to one recipient. Jobs carry only these ids; the row keeps the state, the attempts and the
/// last SMTP answer, so a restart or a failed SMTP server loses nothing and the admin can resend.
/// </summary>
public class InvitationDelivery
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid InvitationId { get; set; }
    public Invitation Invitation { get; set; } = null!;
    public required string Email { get; set; }
    /// <summary>authentik's <c>send_email</c> sends each address its own message with these copied in.</summary>
    public JsonArray Cc { get; set; } = [];
    public JsonArray Bcc { get; set; } = [];
    /// <summary>Template name, e.g. <c>email/invitation.html</c>; null uses the default.</summary>
    public string? Template { get; set; }
    /// <summary>
    /// A reminder: scheduled when the invitation was sent, sent on its day (<see cref="NextAttempt"/>) unless the
    /// recipient has enrolled by then, and at most once.
    /// </summary>
    public bool IsReminder { get; set; }

    public Guid? BulkInvitationId { get; set; }
    public BulkInvitation? BulkInvitation { get; set; }
    /// <summary>Scheme and host the link in the email starts with: the address the admin used when asking.</summary>
    public required string BaseUrl { get; set; }
    /// <summary>Who asked for the email (for the <c>invitation_sent</c> event); null for the system.</summary>
    public int? RequestedById { get; set; }
    public DeliveryState State { get; set; } = DeliveryState.Queued;
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTime Created { get; set; } = DateTime.UtcNow;
    public DateTime? LastAttempt { get; set; }
    public DateTime? NextAttempt { get; set; }
    public DateTime? Sent { get; set; }
    /// <summary>
    /// While <see cref="DeliveryState.Sending"/>: until when the job run sending it holds it. A run killed mid-send leaves
    /// the row so; once this has passed another run takes it again.
    /// </summary>
    public DateTime? ClaimedUntil { get; set; }
    /// <summary>
    /// While <see cref="DeliveryState.Sending"/>: which run holds it. A run takes many recipients in one statement and
    /// finds its own by this token; it writes an outcome only while it still holds the recipient.
    /// </summary>
    public Guid? ClaimToken { get; set; }
}
