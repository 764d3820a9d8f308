using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Email;
using Enrollment.Infrastructure.Identity;
using Enrollment.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;
using MimeKit;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.Email;

/// <summary>What the invitee reads on the email stage (in English: the keys of their translations in <c>FlowTexts</c>).</summary>
public static class EmailStageMessages
{
    /// <summary>Emails one plan may send from one email stage (the first and the resends): the invitee types the address, so it is capped.</summary>
    public const int MaxEmails = 5;

    public const string NoAddress = "There is no email address to send the confirmation link to.";
    public const string InvalidAddress = "The email address to send the confirmation link to is not valid.";
    public const string NotYet = "Your email address is not confirmed yet. Open the link in the email we sent you.";
    public const string SentAgain = "We sent you a new email. Any link we sent before still works until it expires.";
    public const string TooMany = "We have already sent you several emails. Use the link in one of them, or start over later.";
    public const string Unavailable = "We could not send the email right now: the mail server cannot be reached. Try again in a moment.";
    public const string Refused = "The mail server refused our email. Check the address below; if it is right, try again later or contact the administrator.";
    public const string Misconfigured = "We could not prepare the email. Please contact the administrator.";
}
