using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Enrollment.Infrastructure.Telemetry;

/// <summary>
/// The server's own instruments, on one meter named <see cref="MeterName"/>. Recording costs a few nanoseconds when
/// nothing listens (metrics off) and no allocation when something does: tags are passed as structs, and a tag's value
/// is a string the caller already holds (a flow's slug, a policy's name). The list with meanings is in
/// docs/operations.md.
/// </summary>
public sealed class EnrollmentMetrics
{
    public const string MeterName = "Enrollment";

    // Hashing takes tens of milliseconds by design; the default buckets (0 to 10,000, meant for milliseconds) would
    // put every observation in the first few.
    private static readonly IReadOnlyList<double> SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Counter<long> _flowsStarted, _flowsCompleted, _flowsDenied;
    private readonly Counter<long> _invitationsCreated, _invitationsUsed, _invitationsExpired;
    private readonly Counter<long> _emailsSent, _emailsFailed, _emailsRetried;
    private readonly Counter<long> _policyEvaluations, _policyTimeouts;
    private readonly Histogram<double> _policyDuration, _passwordHashing;

    public EnrollmentMetrics(IMeterFactory meters)
    {
        // From the host's factory: each host (the tests run many in one process) has its own meter and instruments.
        var meter = meters.Create(MeterName);
        _flowsStarted = meter.CreateCounter<long>("enrollment.flows.started", "{flow}", "Flows planned for a browser (a new run of the flow).");
        _flowsCompleted = meter.CreateCounter<long>("enrollment.flows.completed", "{flow}", "Flows that ran through their last stage.");
        _flowsDenied = meter.CreateCounter<long>("enrollment.flows.denied", "{flow}", "Flows refused by their authentication requirement or policies, or ended by a stage's denial.");
        _invitationsCreated = meter.CreateCounter<long>("enrollment.invitations.created", "{invitation}", "Invitations created (admin, API, bulk).");
        _invitationsUsed = meter.CreateCounter<long>("enrollment.invitations.used", "{invitation}", "Invitation uses committed by a user write stage.");
        _invitationsExpired = meter.CreateCounter<long>("enrollment.invitations.expired", "{invitation}", "Expired invitations deleted by the expiry job.");
        _emailsSent = meter.CreateCounter<long>("enrollment.email.sent", "{email}", "Invitation emails the SMTP server accepted.");
        _emailsFailed = meter.CreateCounter<long>("enrollment.email.failed", "{email}", "Invitation emails that failed for good.");
        _emailsRetried = meter.CreateCounter<long>("enrollment.email.retried", "{email}", "Invitation emails scheduled again after a transient failure.");
        _policyEvaluations = meter.CreateCounter<long>("enrollment.policy.evaluations", "{evaluation}", "Policy evaluations, by result (pass, fail, error).");
        _policyTimeouts = meter.CreateCounter<long>("enrollment.policy.timeouts", "{evaluation}", "Policy evaluations stopped at their timeout (also counted as errors).");
        _policyDuration = meter.CreateHistogram("enrollment.policy.duration", "s", "Time to evaluate one policy.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _passwordHashing = meter.CreateHistogram("enrollment.password.hash.duration", "s", "Time to hash or verify one password.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
    }

    public void FlowStarted(string flow) => _flowsStarted.Add(1, new KeyValuePair<string, object?>("flow", flow));

    public void FlowCompleted(string flow) => _flowsCompleted.Add(1, new KeyValuePair<string, object?>("flow", flow));

    public void FlowDenied(string flow) => _flowsDenied.Add(1, new KeyValuePair<string, object?>("flow", flow));

    public void InvitationsCreated(long count) => _invitationsCreated.Add(count);

    public void InvitationUsed(string flow) => _invitationsUsed.Add(1, new KeyValuePair<string, object?>("flow", flow));

    public void InvitationsExpired(long count) => _invitationsExpired.Add(count);

    public void EmailSent() => _emailsSent.Add(1);

    public void EmailFailed() => _emailsFailed.Add(1);

    public void EmailRetried() => _emailsRetried.Add(1);

    /// <param name="started">A <see cref="Stopwatch.GetTimestamp"/> taken before the evaluation.</param>
    public void PolicyEvaluated(string policy, PolicyOutcome outcome, long started)
    {
        var result = new KeyValuePair<string, object?>("result", outcome switch
        {
            PolicyOutcome.Pass => "pass",
            PolicyOutcome.Fail => "fail",
            _ => "error",
        });
        var name = new KeyValuePair<string, object?>("policy", policy);
        _policyEvaluations.Add(1, name, result);
        _policyDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, name, result);
        if (outcome == PolicyOutcome.TimedOut) _policyTimeouts.Add(1, name);
    }

    /// <param name="operation"><c>hash</c> or <c>verify</c>.</param>
    public void PasswordHashed(string operation, long started) =>
        _passwordHashing.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("operation", operation));
}
