using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Email;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Invitations.QueueInvitationEmails;

/// <summary>
/// Puts invitation emails in the queue of the delivery jobs; every email goes out this way. <see cref="Command"/> emails
/// an invitation to a list of addresses, as authentik's <c>send_email</c> does: one message per address, each with the
/// same cc and bcc copies. Everything is checked first — every address, the template, the invitation — and either
/// every recipient gets a <see cref="InvitationDelivery"/> (saved in one transaction, then handed to the delivery
/// jobs) or nothing is written; the admin page and the API send it. <see cref="Resend"/> queues one recipient's email
/// again (the admin page); <see cref="Dispatch"/> hands over deliveries a bulk invitation saved with its invitations.
/// </summary>
public static partial class QueueInvitationEmails
{
    public const int MaxRecipients = 1000;
    public const int MaxCopies = 50;

    /// <summary>The longest a reminder may wait after the invitation email (a year).</summary>
    public const int MaxRemindAfterDays = 365;

    /// <summary>Which list or value an error is about; the page and the API name them their own way.</summary>
    public enum Field { To, Cc, Bcc, Template, RemindAfterDays }

    /// <summary>Why the invitation itself cannot be emailed, whatever the addresses.</summary>
    public enum Refusal { NoAddresses, NoFlow, Expired, UsedUp }

    /// <param name="BaseUrl">Scheme and host the link in the email starts with (the address the admin used).</param>
    /// <param name="RequestedById">The admin asking; the <c>invitation_sent</c> events name them.</param>
    /// <param name="RemindAfterDays">When set, each recipient also gets one reminder that many days later, unless they enroll first.</param>
    public sealed record Command(Guid InvitationId, IReadOnlyList<string> To, IReadOnlyList<string> Cc, IReadOnlyList<string> Bcc,
        string? Template, string BaseUrl, int? RequestedById, int? RemindAfterDays = null) : ICommand<Result>;

    public sealed record Error(Field Field, string Message);

    public sealed record Result(bool Found, IReadOnlyList<Error> Errors, Refusal? Refused, int Queued)
    {
        public bool Succeeded => Found && Errors.Count == 0 && Refused is null;
        public static readonly Result NotFound = new(false, [], null, 0);
    }

    /// <summary>authentik's wording, which the API answers with as <c>{"error": "…"}</c>.</summary>
    public static string ApiMessage(Refusal refusal) => refusal switch
    {
        Refusal.NoAddresses => "No email addresses provided",
        Refusal.NoFlow => "Invitation has no associated flow",
        Refusal.Expired => "Invitation has expired",
        _ => "Invitation has already been used",
    };

    /// <summary>The same, said to an admin on the invitation's page.</summary>
    public static string PageMessage(Refusal refusal) => refusal switch
    {
        Refusal.NoAddresses => "Enter at least one email address.",
        Refusal.NoFlow => "Invitation has no associated flow, so there is no link to send. Edit it through the API or create a new one.",
        Refusal.Expired => "This invitation has expired; its link would not work. Create a new invitation.",
        _ => "This single-use invitation has been used; its link would not work. Create a new invitation.",
    };

    /// <summary>
    /// What stops an invitation from being emailed, or null when it can be: a link needs a flow, and a link that could
    /// not be used (<see cref="Invitation.IsExpired"/>, <see cref="Invitation.IsUsedUp"/>) is not worth sending.
    /// </summary>
    public static Refusal? Check(Invitation invitation, DateTime now) =>
        invitation.FlowId is null ? Refusal.NoFlow
        : invitation.IsExpired(now) ? Refusal.Expired
        : invitation.IsUsedUp ? Refusal.UsedUp
        : null;

    /// <summary>A recipient's email as it waits in the queue: every delivery starts as this.</summary>
    /// <param name="baseUrl">Scheme and host the link in the email starts with (<see cref="LinkOrigin"/>).</param>
    /// <param name="requestedById">The admin asking; the <c>invitation_sent</c> events name them.</param>
    public static InvitationDelivery NewDelivery(Guid invitationId, string email, string baseUrl, int? requestedById) => new()
    {
        InvitationId = invitationId,
        Email = email,
        BaseUrl = baseUrl,
        RequestedById = requestedById,
    };

    /// <summary>
    /// A recipient's reminder, waiting for its day: the same invitation, address, link and template as
    /// <paramref name="first"/>, no copies (a reminder is for the invitee), due at <paramref name="due"/>.
    /// </summary>
    public static InvitationDelivery NewReminder(InvitationDelivery first, DateTime due) => new()
    {
        InvitationId = first.InvitationId,
        Email = first.Email,
        BaseUrl = first.BaseUrl,
        RequestedById = first.RequestedById,
        Template = first.Template,
        BulkInvitationId = first.BulkInvitationId,
        IsReminder = true,
        State = DeliveryState.Scheduled,
        NextAttempt = due,
        Created = first.Created,
    };

    /// <summary>A reminder delay: a whole number of days from 1 to <see cref="MaxRemindAfterDays"/>, or none.</summary>
    public static string? RemindAfterProblem(int? days) =>
        days is null or (>= 1 and <= MaxRemindAfterDays) ? null : $"Remind after 1 to {MaxRemindAfterDays} days, or leave it empty for no reminder.";

    internal sealed class Handler(AppDbContext db, EmailTemplates templates, InvitationDeliveryQueue queue, TimeProvider clock)
        : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken ct)
        {
            var invitation = await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == command.InvitationId, ct);
            if (invitation is null) return Result.NotFound;

            var (errors, to, cc, bcc, template) = Validate(command.To, command.Cc, command.Bcc, command.Template, templates);
            if (RemindAfterProblem(command.RemindAfterDays) is { } remindProblem) errors = [.. errors, new Error(Field.RemindAfterDays, remindProblem)];
            if (errors.Count > 0) return new Result(true, errors, null, 0);

            var refused = to.Count == 0 ? Refusal.NoAddresses : Check(invitation, clock.GetUtcNow().UtcDateTime);
            if (refused is not null) return new Result(true, [], refused, 0);

            var deliveries = to.Select(address =>
            {
                var delivery = NewDelivery(command.InvitationId, address, command.BaseUrl, command.RequestedById);
                delivery.Cc = new JsonArray([.. cc.Select(a => JsonValue.Create(a))]);
                delivery.Bcc = new JsonArray([.. bcc.Select(a => JsonValue.Create(a))]);
                delivery.Template = template;
                return delivery;
            }).ToList();
            db.InvitationDeliveries.AddRange(deliveries);
            if (command.RemindAfterDays is { } days)
            {
                var now = clock.GetUtcNow().UtcDateTime;
                foreach (var d in deliveries)
                {
                    d.Created = now;
                    db.InvitationDeliveries.Add(NewReminder(d, now.AddDays(days)));
                }
            }
            await db.SaveChangesAsync(ct);
            // After the commit, so a job never looks for rows that are not there yet.
            queue.Enqueue(deliveries.Select(d => d.Id));
            return new Result(true, [], null, deliveries.Count);
        }
    }

    public sealed record Validated(IReadOnlyList<Error> Errors, IReadOnlyList<string> To, IReadOnlyList<string> Cc, IReadOnlyList<string> Bcc, string? Template);

    /// <summary>
    /// Checks every address and the template name, all at once so each mistake gets its message. Addresses come back
    /// bare, each once; the template null when it is the default.
    /// </summary>
    public static Validated Validate(IReadOnlyList<string> to, IReadOnlyList<string> cc, IReadOnlyList<string> bcc, string? template, EmailTemplates templates)
    {
        var errors = new List<Error>();
        var goodTo = Addresses(to, Field.To, MaxRecipients, errors);
        var goodCc = Addresses(cc, Field.Cc, MaxCopies, errors);
        var goodBcc = Addresses(bcc, Field.Bcc, MaxCopies, errors);
        template = string.IsNullOrWhiteSpace(template) ? null : template.Trim();
        if (template is not null)
        {
            if (!EmailTemplates.IsValidName(template))
                errors.Add(new(Field.Template, "Enter a template name like email/invitation.html (a file name under email/, ending in .html)."));
            else if (!templates.Exists(template))
                errors.Add(new(Field.Template, $"There is no email template \"{template}\"."));
        }
        return new Validated(errors, goodTo, goodCc, goodBcc, template == EmailTemplates.Invitation ? null : template);
    }

    /// <summary>Every bad address gets its own message; the same address twice is sent once.</summary>
    private static List<string> Addresses(IReadOnlyList<string> values, Field field, int max, List<Error> errors)
    {
        var good = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in values)
        {
            if (string.IsNullOrWhiteSpace(value)) continue;
            if (EmailAddresses.TryParse(value, out var address, out var error))
            {
                if (seen.Add(address.Address)) good.Add(address.Address);
            }
            else errors.Add(new(field, error));
        }
        if (good.Count > max)
            errors.Add(new(field, $"At most {max} addresses at a time; {good.Count} were given."));
        return good;
    }
}
