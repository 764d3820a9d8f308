using System.Linq.Expressions;
using System.Text.Json.Nodes;

namespace Enrollment.Domain;

public class Invitation
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public DateTime? Expires { get; set; }
    public Guid? FlowId { get; set; }
    public Flow? Flow { get; set; }
    /// <summary>How many completed enrollments the invitation admits; null is no limit.</summary>
    public int? MaxUses { get; set; }

    /// <summary>
    /// authentik's flag, kept for its clients: it is <c>max_uses == 1</c>. Setting it true makes the invitation single use;
    /// setting it false lifts a limit of 1 (to none) and leaves a larger limit alone, so a client that only knows this
    /// flag and writes back what it read changes nothing.
    /// </summary>
    public bool SingleUse
    {
        get => MaxUses == 1;
        set
        {
            if (value) MaxUses = 1;
            else if (MaxUses == 1) MaxUses = null;
        }
    }
    public JsonObject FixedData { get; set; } = [];
    public int? CreatedById { get; set; }
    public User? CreatedBy { get; set; }
    public DateTime Created { get; set; } = DateTime.UtcNow;
    /// <summary>Completed enrollments with this invitation; it is used up at <see cref="MaxUses"/>.</summary>
    public int Uses { get; set; }
    public DateTime? LastUsed { get; set; }
    /// <summary>Flows started with the invitation's link (a new plan from <c>?itoken=</c>), whether or not they finished.</summary>
    public int Opens { get; set; }

    /// <summary>Groups every user enrolled with this invitation joins (pks kept even after a group is deleted; see <see cref="InvitationGroup"/>).</summary>
    public List<InvitationGroup> Groups { get; set; } = [];
    /// <summary>The only address that may enroll with this invitation (trimmed; compared ignoring case), or null for any.</summary>
    public string? Email { get; set; }
    /// <summary>Domains the enrolling address must be in (<see cref="InvitationAddresses"/>); empty for any.</summary>
    public List<string> EmailDomains { get; set; } = [];

    // Whether an invitation can be used is decided here and nowhere else. Each rule is written once, as an expression
    // over the invitation and what it is checked against: queries bind it to parameters (the database decides),
    // loaded invitations run its compiled form (the same rule in memory).
    private static readonly Expression<Func<Invitation, DateTime, bool>> ExpiredRule = (i, now) => i.Expires != null && i.Expires <= now;
    private static readonly Expression<Func<Invitation, bool>> UsedUpRule = i => i.MaxUses != null && i.Uses >= i.MaxUses;
    private static readonly Expression<Func<Invitation, Guid, bool>> ForOtherFlowRule = (i, flowId) => i.FlowId != null && i.FlowId != flowId;

    private static readonly Func<Invitation, DateTime, bool> ExpiredCheck = ExpiredRule.Compile();
    private static readonly Func<Invitation, bool> UsedUpCheck = UsedUpRule.Compile();
    private static readonly Func<Invitation, Guid, bool> ForOtherFlowCheck = ForOtherFlowRule.Compile();

    /// <summary>Past its expiry at <paramref name="now"/> (an invitation without one never expires).</summary>
    public static Expression<Func<Invitation, bool>> ExpiredAt(DateTime now) => QueryRules.Bind(ExpiredRule, now);

    /// <summary>As many completed enrollments as it admits (never, for an invitation without a limit).</summary>
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

    /// <summary>
    /// What the lists show and filter by. A used-up invitation stays <see cref="InvitationStatus.UsedUp"/> after its
    /// expiry: that it served all its enrollments is the lasting fact.
    /// </summary>
    public InvitationStatus StatusAt(DateTime now) =>
        IsUsedUp ? InvitationStatus.UsedUp : IsExpired(now) ? InvitationStatus.Expired : InvitationStatus.Active;

    /// <summary>The database form of <see cref="StatusAt"/> equal to <paramref name="status"/>.</summary>
    public static Expression<Func<Invitation, bool>> HasStatus(InvitationStatus status, DateTime now) => status switch
    {
        InvitationStatus.UsedUp => UsedUp,
        InvitationStatus.Expired => QueryRules.AllOf(ExpiredAt(now), QueryRules.NoneOf(UsedUp)),
        _ => QueryRules.NoneOf(UsedUp, ExpiredAt(now)),
    };

    /// <summary>Why a loaded invitation cannot be used by <paramref name="flowId"/> now, or null when it can (<see cref="UsableFor"/>).</summary>
    public InvitationProblem? ProblemFor(Guid flowId, DateTime now) =>
        IsExpired(now) ? InvitationProblem.Expired
        : IsUsedUp ? InvitationProblem.UsedUp
        : IsForOtherFlow(flowId) ? InvitationProblem.ForOtherFlow
        : null;

    public string Link(string flowSlug) => $"/if/flow/{Uri.EscapeDataString(flowSlug)}/?itoken={Id}";

    /// <summary>
    /// The language this invitation's email and pages should be in, when its <c>fixed_data</c> names a supported one:
    /// <c>locale</c> (a bulk list's column of that name lands there), else <c>attributes.settings.locale</c> (where
    /// the user write stage keeps the user's language); null for the brand's default.
    /// </summary>
    public string? LanguageAsked()
    {
        static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var settings = (FixedData["attributes"] as JsonObject)?["settings"] as JsonObject;
        return Languages.Match(Text(FixedData["locale"])) ?? Languages.Match(Text(settings?["locale"]));
    }
}
