using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

using Enrollment.Infrastructure.FlowExecution;

namespace Enrollment.Features.FlowExecution;

/// <summary>What invitees read when policies say no. Never an error's details: those are logged and recorded as events.</summary>
public static class PolicyMessages
{
    /// <summary>A flow's policies denied it; their <c>ak_message</c> texts follow.</summary>
    public const string NotAllowed = "You are not allowed to use this page.";
    /// <summary>A flow's policy could not be evaluated and its failure result denied the flow.</summary>
    public const string CouldNotCheck = "A check of this page could not be run. Please try again later, or tell the administrator if this keeps happening.";
    /// <summary>A prompt stage's validation policies failed without a message.</summary>
    public const string NotAccepted = "The values entered were not accepted.";
    /// <summary>A prompt stage's validation policy could not be evaluated.</summary>
    public const string EntriesCouldNotCheck = "Your entries could not be checked right now. Please try again later, or tell the administrator if this keeps happening.";
}
