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

/// <summary>What the email stage shows: where the link went, a notice or an error, and whether another email may be sent.</summary>
public sealed record EmailStageView(string StageName, string? Email, bool Sent, int TokenExpiryMinutes, string? Notice, string? Error, bool CanResend)
{
    /// <summary>"Not confirmed yet" is a warning; "sent again" good news.</summary>
    public bool NoticeIsWarning => Notice == EmailStageMessages.NotYet;
}
