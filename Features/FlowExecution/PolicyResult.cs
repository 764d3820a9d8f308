using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

using Enrollment.Infrastructure.FlowExecution;

namespace Enrollment.Features.FlowExecution;

/// <param name="Errored">
/// A policy could not answer (error, timeout, no Python) and its failure result made the whole answer fail: the
/// invitee is told that a check could not be run rather than that they are not allowed.
/// </param>
public sealed record PolicyResult(bool Passing, IReadOnlyList<string> Messages, bool Errored = false)
{
    public static readonly PolicyResult Pass = new(true, []);
}
