using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Features.Invitations.ExpireInvitations;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Email;
using Enrollment.Infrastructure.Python;
using Enrollment.Infrastructure.Telemetry;
using Enrollment.Tests.Features.Policies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmtpServer.Protocol;

using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Infrastructure.Telemetry;

/// <summary>
/// The instruments of the <c>Enrollment</c> meter, read with a listener on this host's own meter (the test process
/// runs many hosts): each is recorded where its event happens, with its tags. The scrape is tested on a real
/// process in <see cref="MetricsEndpointTests"/>.
/// </summary>
public sealed class EnrollmentMetricsTests(EnrollmentMetricsTests.App app) : IClassFixture<EnrollmentMetricsTests.App>
{
    public sealed class App() : EnrollmentApp(new HostConfiguration { Mail = HostConfiguration.MailServer.Listening })
    {
    }

    [Fact]
    public async Task Without_Metrics_Enabled_there_is_no_metrics_endpoint()
    {
        using var client = app.NewClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.Http.GetAsync("/metrics")).StatusCode);
    }

    [SkippableFact]
    public async Task Policy_evaluations_count_by_policy_and_result_timeouts_apart_and_a_flow_denied_by_its_policy_counts_as_denied()
    {
        PythonAvailable.Require(app.Services.GetRequiredService<PythonExpressions>());
        var id = Guid.NewGuid().ToString("N")[..8];
        var result = await ImportAsync($$"""
            version: 1
            entries:
            - model: authentik_flows.flow
              id: closed
              identifiers: {slug: closed-{{id}}}
              attrs: {name: Closed, title: Closed, designation: enrollment}
            - model: authentik_flows.flow
              id: slow
              identifiers: {slug: slow-{{id}}}
              attrs: {name: Slow, title: Slow, designation: enrollment}
            - model: authentik_policies_expression.expressionpolicy
              id: no
              identifiers: {name: no-{{id}}}
              attrs: {expression: return False}
            - model: authentik_policies_expression.expressionpolicy
              id: yes
              identifiers: {name: yes-{{id}}}
              attrs: {expression: return True}
            - model: authentik_policies_expression.expressionpolicy
              id: stuck
              identifiers: {name: stuck-{{id}}}
              attrs:
                expression: |
                  while True:
                      pass
            - model: authentik_policies.policybinding
              identifiers: {target: !KeyOf closed, policy: !KeyOf no, order: 0}
            - model: authentik_policies.policybinding
              identifiers: {target: !KeyOf slow, policy: !KeyOf stuck, order: 0}
              attrs: {timeout: 1, failure_result: true}
            - model: authentik_policies.policybinding
              identifiers: {target: !KeyOf slow, policy: !KeyOf yes, order: 1}
            """);
        Assert.True(result.Success, result.ToString());
        using var recorded = new Recorded(app.Services);
        using var client = app.NewClient();

        var closed = await client.GetPageAsync($"/if/flow/closed-{id}/");
        Assert.Contains("not allowed", closed.DocumentElement.TextContent, StringComparison.OrdinalIgnoreCase);
        // The stuck policy is stopped after a second and counts as its failure_result (pass); the flow has no stages: done.
        var slow = await client.Http.GetAsync($"/if/flow/slow-{id}/");
        Assert.Equal(HttpStatusCode.Redirect, slow.StatusCode);

        Assert.Equal(1, recorded.Sum("enrollment.policy.evaluations", ("policy", $"no-{id}"), ("result", "fail")));
        Assert.Equal(1, recorded.Sum("enrollment.policy.evaluations", ("policy", $"yes-{id}"), ("result", "pass")));
        Assert.Equal(1, recorded.Sum("enrollment.policy.evaluations", ("policy", $"stuck-{id}"), ("result", "error")));
        Assert.Equal(1, recorded.Sum("enrollment.policy.timeouts", ("policy", $"stuck-{id}")));
        Assert.Equal(0, recorded.Sum("enrollment.policy.timeouts", ("policy", $"no-{id}")));
        Assert.True(recorded.Sum("enrollment.policy.duration", ("policy", $"stuck-{id}")) >= 0.9, "the stuck policy ran until its 1 s timeout");
        Assert.Equal(3, recorded.Count("enrollment.policy.duration"));

        Assert.Equal(1, recorded.Sum("enrollment.flows.denied", ("flow", $"closed-{id}")));
        Assert.Equal(0, recorded.Sum("enrollment.flows.started", ("flow", $"closed-{id}")));
        Assert.Equal(1, recorded.Sum("enrollment.flows.started", ("flow", $"slow-{id}")));
        Assert.Equal(1, recorded.Sum("enrollment.flows.completed", ("flow", $"slow-{id}")));
    }

    [Fact]
    public async Task Invitations_created_through_the_api_and_deleted_by_the_expiry_job_are_counted()
    {
        using var recorded = new Recorded(app.Services);
        var ids = new List<Guid>();
        using var api = app.ApiClient();
        for (var i = 0; i < 3; i++)
        {
            var created = await api.PostAsJsonAsync("/api/v3/stages/invitation/invitations/", new JsonObject { ["name"] = $"metrics-expiring-{Guid.NewGuid():N}" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            ids.Add(Guid.Parse((string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["pk"]!));
        }
        Assert.Equal(3, recorded.Sum("enrollment.invitations.created"));

        var past = DateTime.UtcNow.AddDays(-1);
        await app.DbAsync(db => db.Invitations.Where(i => ids.Contains(i.Id)).ExecuteUpdateAsync(s => s.SetProperty(i => i.Expires, past)));
        var deleted = await app.SendAsync(new ExpireInvitations.Command(DateTime.UtcNow, KeepExpiredDays: 0));
        Assert.True(deleted >= 3);
        Assert.Equal(deleted, recorded.Sum("enrollment.invitations.expired"));
    }

    [Fact]
    public async Task Invitation_emails_count_as_sent_retried_or_failed_by_the_smtp_servers_answer()
    {
        app.Smtp.Answer = m => m.To.Mailboxes.Single().Address switch
        {
            "later@example.com" => new SmtpResponse((SmtpReplyCode)451, "try again later"),
            "never@example.com" => new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "no such mailbox"),
            _ => SmtpResponse.Ok,
        };
        using var api = app.ApiClient();
        var flow = await app.DbAsync(db => db.Flows.Where(f => f.Slug == "invitation-enrollment").Select(f => f.Id).SingleAsync());
        var created = await api.PostAsJsonAsync("/api/v3/stages/invitation/invitations/",
            new JsonObject { ["name"] = $"metrics-mail-{Guid.NewGuid():N}", ["flow"] = flow.ToString() });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var invitation = Guid.Parse((string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["pk"]!);
        var queued = await api.PostAsJsonAsync($"/api/v3/stages/invitation/invitations/{invitation}/send_email/",
            new JsonObject { ["email_addresses"] = new JsonArray("ok@example.com", "later@example.com", "never@example.com") });
        Assert.Equal(HttpStatusCode.NoContent, queued.StatusCode);
        var deliveries = await app.DbAsync(db => db.InvitationDeliveries.Where(d => d.InvitationId == invitation).Select(d => d.Id).ToArrayAsync());

        using var recorded = new Recorded(app.Services);
        // This host runs no job server: the job the API queued runs here, as a worker would run it.
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<InvitationDeliveryJob>().SendAsync(deliveries, CancellationToken.None);

        Assert.Equal(1, recorded.Sum("enrollment.email.sent"));
        Assert.Equal(1, recorded.Sum("enrollment.email.retried"));
        Assert.Equal(1, recorded.Sum("enrollment.email.failed"));
        app.Smtp.Answer = _ => SmtpResponse.Ok;
    }

    private async Task<BlueprintResult> ImportAsync(string yaml)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BlueprintImporter>().ImportAsync(yaml, null, dryRun: false, default);
    }

    /// <summary>What this host's <c>Enrollment</c> meter records from now on (never another host's: the meter's scope is this host's factory).</summary>
    private sealed class Recorded : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Name, double Value, KeyValuePair<string, object?>[] Tags)> _measurements = new();

        public Recorded(IServiceProvider services)
        {
            var factory = services.GetRequiredService<IMeterFactory>();
            _ = services.GetRequiredService<EnrollmentMetrics>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == EnrollmentMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => _measurements.Enqueue((i.Name, v, tags.ToArray())));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => _measurements.Enqueue((i.Name, v, tags.ToArray())));
            _listener.Start();
        }

        private IEnumerable<double> Values(string name, (string Key, string Value)[] tags) =>
            _measurements.Where(m => m.Name == name && tags.All(t => m.Tags.Any(x => x.Key == t.Key && Equals(x.Value, t.Value)))).Select(m => m.Value);

        public double Sum(string name, params (string Key, string Value)[] tags) => Values(name, tags).Sum();

        public int Count(string name, params (string Key, string Value)[] tags) => Values(name, tags).Count();

        public void Dispose() => _listener.Dispose();
    }
}
