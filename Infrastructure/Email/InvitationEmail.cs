namespace Enrollment.Infrastructure.Email;

/// <summary>
/// The model of <c>email/invitation.html</c>. Admins' own templates are written against it, so its members only grow.
/// authentik's template context names it <c>url</c>, <c>expires</c>, <c>host</c>.
/// </summary>
public sealed record InvitationEmail(string Url, DateTime? Expires, string Host, string InviterName, string BrandTitle, string InvitationName);
