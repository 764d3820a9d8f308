using Enrollment.Domain;
using Enrollment.Features.FlowExecution.RunFlowStep;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.FlowExecution;
using Enrollment.Features.FlowExecution;
using Enrollment.Infrastructure.Identity;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Stages.Email;

/// <summary>What the invitee reads when an email link cannot be used; answered with a 4xx status.</summary>
public static class EmailLinkMessages
{
    public const string Unknown = "This confirmation link is not valid, or it has already been used. Check that you opened the whole link from the email.";
    public const string Used = "This confirmation link has already been used.";
    public const string Expired = "This confirmation link has expired. Go back to the page that asked you to confirm your email address and send a new email, or open your invitation link again to start over.";
    public const string Ended = "The sign-up this link belongs to has ended or expired. Open your invitation link again to start over.";
    public const string MovedOn = "This confirmation link is no longer needed: the sign-up it belongs to has moved on.";
}
