using Enrollment.Domain;
using MimeKit;

using Enrollment.Features.FlowExecution;

using Enrollment.Infrastructure.Email;

namespace Enrollment.Features.Stages.Email;

/// <summary>
/// What the email stage (<c>authentik_stages_email.emailstage</c>) needs of the email infrastructure: its SMTP
/// settings, its templates and its checks, shared by the flow executor, the stage admin and blueprints.
/// </summary>
public static class EmailStageMail
{
    /// <summary>authentik's query parameter for the key in the email's link: <c>/if/flow/&lt;slug&gt;/?flow_token=…</c>.</summary>
    public const string QueryKey = "flow_token";

    /// <summary>authentik's default subject; a stage keeping it sends a subject in the invitee's language instead.</summary>
    public const string DefaultSubject = "authentik";

    public const string AccountConfirmation = EmailTemplates.AccountConfirmation;
    public const string PasswordReset = "email/password_reset.html";

    /// <summary>The templates offered for the stage (an admin's own files in the data directory work too).</summary>
    public static IReadOnlyList<string> BuiltIn { get; } = [AccountConfirmation, PasswordReset];

    /// <summary>
    /// authentik's other built-in templates are not verification emails (a test message, event notifications, the
    /// email OTP stage's code); a stage naming one, e.g. from an imported blueprint, sends the account confirmation.
    /// </summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["email/setup.html"] = AccountConfirmation,
        ["email/event_notification.html"] = AccountConfirmation,
        ["email/email_otp.html"] = AccountConfirmation,
    };

    /// <summary>The stage's own connection, or the server's <c>Email:*</c> settings (sender included) with <c>use_global_settings</c>.</summary>
    public static SmtpSettings Settings(EmailStage stage, SmtpSettings global) => stage.UseGlobalSettings ? global : new SmtpSettings
    {
        Host = stage.Host.Trim(),
        Port = stage.Port,
        Username = stage.Username,
        Password = stage.Password,
        UseTls = stage.UseTls,
        UseSsl = stage.UseSsl,
        From = stage.FromAddress,
        Timeout = stage.Timeout,
    };

    /// <summary>The template file to render: the name itself when it exists (an admin's file wins), else its alias.</summary>
    public static string ResolveTemplate(string name, EmailTemplates templates) =>
        templates.Exists(name) ? name : Aliases.GetValueOrDefault(name, name);

    /// <summary>Null when <paramref name="name"/> can be used as the stage's template; otherwise why not.</summary>
    public static string? TemplateProblem(string? name, EmailTemplates templates)
    {
        if (!EmailTemplates.IsValidName(name))
            return "Enter a template name like email/account_confirmation.html: lowercase letters, digits, '_' and '-' under email/, ending in .html.";
        return templates.Exists(ResolveTemplate(name!, templates))
            ? null
            : $"There is no email template \"{name}\". Built in: {string.Join(", ", BuiltIn)}; your own go into <data directory>/templates/email/.";
    }

    /// <summary>
    /// The sender: a bare address or <c>Name &lt;address&gt;</c> (authentik admins write both), one mailbox, no line
    /// breaks — nothing that could add a header or a recipient.
    /// </summary>
    public static bool TryParseFrom(string? value, out MailboxAddress from, out string error)
    {
        from = null!;
        var text = value?.Trim() ?? "";
        if (text.Length == 0) { error = "Enter the sender's address."; return false; }
        if (text.Length > 255 || text.Any(char.IsControl) || !MailboxAddress.TryParse(ParserOptions.Default, text, out var parsed)
            || !EmailAddresses.IsValid(parsed.Address))
        {
            error = $"\"{(text.Length > 80 ? text[..77] + "…" : text)}\" is not a valid sender address. Use e.g. noreply@example.com or Example <noreply@example.com>.";
            return false;
        }
        from = parsed;
        error = "";
        return true;
    }

    /// <summary>The subject as sent: one line (MimeKit encodes the rest).</summary>
    public static string Subject(string subject) => string.Join(' ', subject.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    public static string? SubjectProblem(string? subject) =>
        string.IsNullOrWhiteSpace(subject) ? "Enter a subject."
        : subject.Any(char.IsControl) ? "The subject must be one line of text."
        : null;
}
