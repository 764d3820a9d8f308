using System.Text.Json.Nodes;
using Enrollment.Domain;

namespace Enrollment.Features.Invitations.Shared;

/// <summary>
/// The fields one write sets on an invitation, read from a front door's input (<see cref="IInvitationInput"/>). A field
/// that is not given is left as it is: a PATCH names only what it changes; the admin form gives every field.
/// </summary>
public sealed class InvitationValues
{
    public string? Name { get; init; }

    /// <summary>Whether <see cref="Expires"/> is given; null is a value ("never expires").</summary>
    public bool SetsExpires { get; init; }
    public DateTime? Expires { get; init; }

    /// <summary>Whether <see cref="FlowId"/> is given; null is a value (bound to no flow).</summary>
    public bool SetsFlow { get; init; }
    public Guid? FlowId { get; init; }
    /// <summary>The slug of <see cref="FlowId"/>, which the <c>invitation_created</c> event names.</summary>
    public string? FlowSlug { get; init; }

    public JsonObject? FixedData { get; init; }
    public bool? SingleUse { get; init; }

    /// <summary>The groups new users join (replacing the invitation's list); null: left as they are.</summary>
    public IReadOnlyList<Guid>? Groups { get; init; }

    /// <summary>Whether <see cref="Email"/> is given; null is a value (any address).</summary>
    public bool SetsEmail { get; init; }
    public string? Email { get; init; }

    /// <summary>The email domains (replacing the invitation's list, empty: any domain); null: left as they are.</summary>
    public IReadOnlyList<string>? EmailDomains { get; init; }
    /// <summary>Whether <see cref="MaxUses"/> is given; null is a value (no limit). Given, it wins over <see cref="SingleUse"/>.</summary>
    public bool SetsMaxUses { get; init; }
    public int? MaxUses { get; init; }

    /// <summary>
    /// Why <see cref="SingleUse"/> and <see cref="MaxUses"/> given together contradict each other (single use is a limit
    /// of 1), or null.
    /// </summary>
    public static string? Conflict(bool? singleUse, bool setsMaxUses, int? maxUses) =>
        singleUse is { } single && setsMaxUses && single != (maxUses == 1)
            ? "Single use is the same as max uses 1; these two values contradict each other."
            : null;

    /// <summary>
    /// Why the limit this write sets on <paramref name="invitation"/> is below the enrollments it has already admitted,
    /// or null. Only a changed limit is checked (a write that leaves the limit alone is not refused for it); a limit
    /// equal to the uses is allowed: it closes the invitation.
    /// </summary>
    public string? LimitBelowUses(Invitation invitation)
    {
        // single_use false never lowers a limit; true is a limit of 1.
        int? limit = SetsMaxUses ? MaxUses : SingleUse == true ? 1 : invitation.MaxUses;
        if (limit is not { } l || limit == invitation.MaxUses || l >= invitation.Uses) return null;
        var times = invitation.Uses == 1 ? "once" : $"{invitation.Uses} times";
        return $"This invitation has already been used {times}; max uses cannot be lower than {invitation.Uses} ({invitation.Uses} admits nobody more).";
    }

    public void ApplyTo(Invitation invitation)
    {
        if (Name is not null) invitation.Name = Name;
        if (SetsExpires) invitation.Expires = Expires;
        if (FixedData is not null) invitation.FixedData = FixedData;
        if (SetsFlow) invitation.FlowId = FlowId;
        if (SetsMaxUses) invitation.MaxUses = MaxUses;
        else if (SingleUse is { } singleUse) invitation.SingleUse = singleUse;
        if (SetsEmail) invitation.Email = Email;
        if (EmailDomains is not null) invitation.EmailDomains = [.. EmailDomains];
        if (Groups is not null)
        {
            // Rows kept where they stay, so an unchanged list is no change (and no delete-and-insert of one key).
            invitation.Groups.RemoveAll(g => !Groups.Contains(g.GroupId));
            foreach (var id in Groups.Distinct().Where(id => invitation.Groups.All(g => g.GroupId != id)))
                invitation.Groups.Add(new InvitationGroup { InvitationId = invitation.Id, GroupId = id });
        }
    }
}
