using Enrollment.Domain;
using Enrollment.Features.FlowExecution.RunFlowStep;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.FlowExecution;
using Enrollment.Features.FlowExecution;
using Enrollment.Infrastructure.Identity;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Stages.Email;

public sealed record EmailLinkView(string Token, string Email);
