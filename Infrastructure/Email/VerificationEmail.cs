namespace Enrollment.Infrastructure.Email;

/// <summary>The model of <c>email/account_confirmation.html</c> and other email-stage templates.</summary>
public sealed record VerificationEmail(string Url, DateTime Expires, string Host, string UserName, string BrandTitle);
