using System.ComponentModel.DataAnnotations;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Serialization;
using Enrollment.Infrastructure.Web;

namespace Enrollment.Features.Invitations.Shared;

/// <summary>
/// The invitation form as the browser posts it (create, edit, and the wizard's invitation step; its fields are
/// <c>_InvitationFields</c>). Beyond what the API asks, it takes only enrollment flows (the ones it offers) and an expiry
/// still ahead (an invitation expired at birth is a typo). It gives every field, so a write replaces them all.
/// </summary>
public class InvitationForm : IInvitationInput
{
    [Required(ErrorMessage = "Enter a name.")]
    [StringLength(200)]
    [RegularExpression("^[-a-zA-Z0-9_]+$", ErrorMessage = "Use only letters, digits, '-' and '_'.")]
    public string Name { get; set; } = "";

    /// <summary>As a datetime-local input sends it; parsed by <see cref="ReadAsync"/> for a clear message.</summary>
    public string? Expires { get; set; }

    [Required(ErrorMessage = "Choose the enrollment flow this invitation is for.")]
    public string? FlowSlug { get; set; }

    [StringLength(65536, ErrorMessage = "Custom attributes may be at most 64 KB.")]
    public string? FixedData { get; set; }

    public bool SingleUse { get; set; }

    /// <summary>The checked groups' pks.</summary>
    public List<Guid> Groups { get; set; } = [];

    [StringLength(InvitationAddresses.MaxEmailLength, ErrorMessage = "Use at most 254 characters.")]
    public string? Email { get; set; }

    /// <summary>Domains separated by commas or lines, as typed.</summary>
    [StringLength(30000, ErrorMessage = "List at most 100 domains.")]
    public string? EmailDomains { get; set; }

    /// <summary>Empty is no limit; parsed by <see cref="ReadAsync"/> for a clear message.</summary>
    public string? MaxUses { get; set; }

    public string FieldName(string wireName) => wireName switch
    {
        "email" => nameof(Email),
        "email_domains" => nameof(EmailDomains),
        "groups" => nameof(Groups),
        "max_uses" => nameof(MaxUses),
        "single_use" => nameof(SingleUse),
        _ => wireName,
    };

    /// <summary>The expiry to write, or why not. A new invitation's must lie ahead (<see cref="InvitationFields.ParseExpires"/>).</summary>
    protected virtual Task<(DateTime? Value, string? Error)> ReadExpiresAsync(AppDbContext db, DateTime now, CancellationToken ct) =>
        Task.FromResult(InvitationFields.ParseExpires(Expires, now));

    public async Task<InvitationValues?> ReadAsync(AppDbContext db, DateTime now, List<FieldError> errors, CancellationToken ct)
    {
        var (expires, expiresError) = await ReadExpiresAsync(db, now, ct);
        if (expiresError is not null) errors.Add(new(nameof(Expires), expiresError));
        var (flowId, flowError) = await InvitationFields.FindEnrollmentFlowAsync(db, FlowSlug, ct);
        if (flowError is not null) errors.Add(new(nameof(FlowSlug), flowError));
        var fixedData = StructuredText.ParseObject(FixedData);
        if (fixedData.Error is not null) errors.Add(new(nameof(FixedData), fixedData.Error));
        var missing = await InvitationBinding.MissingGroupsAsync(db, Groups, ct);
        if (missing.Count > 0)
            errors.Add(new(nameof(Groups), $"{(missing.Count == 1 ? "A chosen group" : $"{missing.Count} chosen groups")} {InvitationBinding.UnknownGroup}"));
        var (email, domains, problems) = InvitationAddresses.Check(string.IsNullOrWhiteSpace(Email) ? null : Email, InvitationBinding.SplitDomains(EmailDomains));
        foreach (var (field, message) in problems) errors.Add(new(FieldName(field), message));
        var (maxUses, maxUsesError) = InvitationFields.ParseMaxUses(MaxUses);
        if (maxUsesError is not null) errors.Add(new(nameof(MaxUses), maxUsesError));
        // The box checked is a limit of 1; unchecked it says nothing, the field decides.
        else if (InvitationValues.Conflict(SingleUse ? true : null, maxUses is not null, maxUses) is { } conflict) errors.Add(new(nameof(MaxUses), conflict));
        if (errors.Count > 0) return null;

        return new InvitationValues
        {
            Groups = Groups.Distinct().ToList(),
            SetsEmail = true, Email = email,
            EmailDomains = domains,
            Name = Name.Trim(),
            SetsExpires = true, Expires = expires,
            SetsFlow = true, FlowId = flowId, FlowSlug = FlowSlug,
            FixedData = fixedData.Value!,
            SingleUse = SingleUse,
            SetsMaxUses = true, MaxUses = maxUses ?? (SingleUse ? 1 : null),
        };
    }
}
