namespace Enrollment.Features.Invitations.BulkInvite;

/// <summary>A bulk invitation over <see cref="BulkInviteLimits.MaxRequestBytes"/>: 413 with the limits, not a bare 400 or a 500.</summary>
public sealed class BulkInviteTooLargeIs413Attribute : Infrastructure.Web.OversizeFormIs413Attribute
{
    protected override string Title => "List too large";
    protected override string Message => BulkInviteLimits.TooLarge;
    protected override string NothingDone => "Nothing was created.";
}
