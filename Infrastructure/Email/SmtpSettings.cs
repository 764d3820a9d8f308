namespace Enrollment.Infrastructure.Email;

/// <summary>
/// One SMTP connection's settings: the server's global <c>Email:*</c> settings, or an email stage's own. An empty
/// <see cref="Host"/> means "no SMTP server": messages are written as <c>.eml</c> files to the pickup directory,
/// so a fresh install works and an admin can read what would have been sent.
/// </summary>
public sealed record SmtpSettings
{
    public string Host { get; init; } = "";
    public int Port { get; init; } = 587;
    public string Username { get; init; } = "";
    public string Password { get; init; } = "";
    /// <summary>
    /// STARTTLS after connecting (port 587): <c>true</c> requires it, <c>false</c> never uses it, null (the global
    /// <c>Email:UseTls</c> left unset) uses it whenever the server offers it. Once started, TLS must succeed (a valid
    /// certificate): there is no silent fall-back to plaintext.
    /// </summary>
    public bool? UseTls { get; init; }
    /// <summary>TLS from the first byte (port 465).</summary>
    public bool UseSsl { get; init; }
    public string From { get; init; } = "enrollment@localhost";
    /// <summary>Seconds per SMTP operation.</summary>
    public int Timeout { get; init; } = 10;

    public bool UsesPickupDirectory => string.IsNullOrWhiteSpace(Host);

    public static SmtpSettings FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Email");
        return new SmtpSettings
        {
            Host = section["Host"] ?? "",
            Port = section.GetValue("Port", 587),
            Username = section["Username"] ?? "",
            Password = section["Password"] ?? "",
            UseTls = section.GetValue<bool?>("UseTls"),
            UseSsl = section.GetValue("UseSsl", false),
            From = section["From"] is { Length: > 0 } from ? from : "enrollment@localhost",
            Timeout = section.GetValue("Timeout", 10),
        };
    }

    /// <summary>Never show the password (settings end up in logs and admin pages).</summary>
    public override string ToString() => UsesPickupDirectory ? "pickup directory" : $"{Host}:{Port}";
}
