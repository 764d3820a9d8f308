namespace Enrollment.Infrastructure.Email;

/// <summary>Where messages go when no SMTP host is configured: <c>&lt;DataDirectory&gt;/mail</c>.</summary>
public sealed record MailPickupDirectory(string Path);
