using System.Linq.Expressions;
using System.Text.Json.Nodes;

namespace Enrollment.Domain;

/// <summary>Why an invitation cannot be used, in the order they are checked: the invitee hears the first that applies.</summary>
public enum InvitationProblem { Expired, UsedUp, ForOtherFlow }

public class Invitation
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public DateTime? Expires { get; set; }
    public Guid? FlowId { get; set; }
    public Flow? Flow { get; set; }
    public bool SingleUse { get; set; }
    public JsonObject FixedData { get; set; } = [];
    public int? CreatedById { get; set; }
    public User? CreatedBy { get; set; }
    public DateTime Created { get; set; } = DateTime.UtcNow;
    /// <summary>Completed enrollments with this invitation; a single-use invitation is used up at 1.</summary>
    public int Uses { get; set; }
    public DateTime? LastUsed { get; set; }

    // Whether an invitation can be used is decided here and nowhere else. Each rule is written once, as an expression
    // over the invitation and what it is checked against: queries bind it to parameters (the database decides),
    // loaded invitations run its compiled form (the same rule in memory).
    private static readonly Expression<Func<Invitation, DateTime, bool>> ExpiredRule = (i, now) => i.Expires != null && i.Expires <= now;
    private static readonly Expression<Func<Invitation, bool>> UsedUpRule = i => i.SingleUse && i.Uses > 0;
    private static readonly Expression<Func<Invitation, Guid, bool>> ForOtherFlowRule = (i, flowId) => i.FlowId != null && i.FlowId != flowId;

    private static readonly Func<Invitation, DateTime, bool> ExpiredCheck = ExpiredRule.Compile();
    private static readonly Func<Invitation, bool> UsedUpCheck = UsedUpRule.Compile();
    private static readonly Func<Invitation, Guid, bool> ForOtherFlowCheck = ForOtherFlowRule.Compile();

    /// <summary>Past its expiry at <paramref name="now"/> (an invitation without one never expires).</summary>
    public static Expression<Func<Invitation, bool>> ExpiredAt(DateTime now) => QueryRules.Bind(ExpiredRule, now);

    /// <summary>Single use and already used by a completed enrollment.</summary>
    public static Expression<Func<Invitation, bool>> UsedUp => UsedUpRule;

    /// <summary>Bound to a flow other than <paramref name="flowId"/> (an invitation bound to no flow suits every flow).</summary>
    public static Expression<Func<Invitation, bool>> ForOtherFlow(Guid flowId) => QueryRules.Bind(ForOtherFlowRule, flowId);

    /// <summary>
    /// The invitation can be used now by <paramref name="flowId"/>: not expired, not used up, bound to this flow or to
    /// none. The database form of <see cref="ProblemFor"/> returning null.
    /// </summary>
    public static Expression<Func<Invitation, bool>> UsableFor(Guid flowId, DateTime now) =>
        QueryRules.NoneOf(ExpiredAt(now), UsedUp, ForOtherFlow(flowId));

    public bool IsExpired(DateTime now) => ExpiredCheck(this, now);

    public bool IsUsedUp => UsedUpCheck(this);

    public bool IsForOtherFlow(Guid flowId) => ForOtherFlowCheck(this, flowId);

    /// <summary>Why a loaded invitation cannot be used by <paramref name="flowId"/> now, or null when it can (<see cref="UsableFor"/>).</summary>
    public InvitationProblem? ProblemFor(Guid flowId, DateTime now) =>
        IsExpired(now) ? InvitationProblem.Expired
        : IsUsedUp ? InvitationProblem.UsedUp
        : IsForOtherFlow(flowId) ? InvitationProblem.ForOtherFlow
        : null;

    public string Link(string flowSlug) => $"/if/flow/{Uri.EscapeDataString(flowSlug)}/?itoken={Id}";
}

public class Event
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Action { get; set; }
    /// <summary>Who did it, as authentik records it: <c>{"pk": 1, "username": "akadmin"}</c>; survives the user's deletion.</summary>
    public JsonObject User { get; set; } = [];
    public string App { get; set; } = "enrollment";
    public JsonObject Context { get; set; } = [];
    public string? ClientIp { get; set; }
    public DateTime Created { get; set; } = DateTime.UtcNow;
}

public class Brand
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public string Domain { get; set; } = "enrollment-default";
    public bool Default { get; set; } = true;
    public string BrandingTitle { get; set; } = "Enrollment";
    /// <summary>Where external users go after enrollment; they may not use the internal user interface.</summary>
    public string? DefaultApplicationUrl { get; set; }
}

/// <summary>Where one invitation email to one recipient stands; the admin sees it on the invitation's page.</summary>
public enum DeliveryState { Queued, Sending, Sent, Retrying, Failed }

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
}

/// <summary>One bulk invitation run: many recipients, one invitation each, all emailed.</summary>
public class BulkInvitation
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid? FlowId { get; set; }
    public Flow? Flow { get; set; }
    public int? CreatedById { get; set; }
    public User? CreatedBy { get; set; }
    public DateTime Created { get; set; } = DateTime.UtcNow;
    public DateTime? Expires { get; set; }
    public bool SingleUse { get; set; }
    /// <summary>Recipients accepted (one invitation and one delivery each).</summary>
    public int Total { get; set; }
    /// <summary>Rows refused: <c>[{"row": 3, "value": "not-an-address", "error": "…"}]</c>.</summary>
    public JsonArray Rejected { get; set; } = [];
}

/// <summary>
/// A verification link sent by an email stage. Opening it continues the waiting flow plan (in whichever browser
/// opened it); the row keeps only the digest of the key in the link.
/// </summary>
public class EmailVerification
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string KeyHash { get; set; }
    public Guid FlowPlanId { get; set; }
    public FlowPlan FlowPlan { get; set; } = null!;
    public Guid StageId { get; set; }
    public required string Email { get; set; }
    public DateTime Created { get; set; } = DateTime.UtcNow;
    public DateTime Expires { get; set; }
    public DateTime? Verified { get; set; }
}
