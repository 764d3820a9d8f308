using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Infrastructure.Telemetry;

/// <summary>
/// <c>/metrics</c> on a real server process: Prometheus' text format with the server's own instruments and ASP.NET
/// Core's request duration, off unless <c>Metrics:Enabled</c>, and only on <c>Metrics:Port</c> when one is set.
/// </summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task An_enrollment_an_email_and_a_denied_visit_show_up_in_the_scrape_with_their_flow_and_values()
    {
        await using var smtp = new LoopbackSmtpServer();
        var settings = new Dictionary<string, string> { ["Metrics:Enabled"] = "true" };
        foreach (var (key, value) in smtp.Settings) settings[key] = value!;
        await using var server = await ServerProcess.StartAsync(settings);

        var invitation = await server.InviteAsync("metrics-invite");
        using (var api = server.ApiClient())
        {
            var sent = await api.PostAsJsonAsync($"/api/v3/stages/invitation/invitations/{invitation}/send_email/",
                new JsonObject { ["email_addresses"] = new JsonArray("jane@example.com") });
            Assert.Equal(HttpStatusCode.NoContent, sent.StatusCode);
        }
        await smtp.WaitForAsync(1, TimeSpan.FromSeconds(60));
        using (var invitee = server.NewClient()) await ServerProcess.EnrollAsync(invitee, invitation, "jane", "Jane-Tulip-Glacier-58!");
        using (var stranger = server.NewClient())
        {
            // No invitation: the invitation stage ends the flow (continue_flow_without_invitation is off).
            var denied = await stranger.GetPageAsync($"/if/flow/{ServerProcess.Flow}/");
            Assert.Contains(Enrollment.Domain.InvitationMessages.Missing, denied.DocumentElement.TextContent);
        }
        using (var admin = server.NewClient()) await admin.LoginAsync("akadmin", ServerProcess.AdminPassword);

        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        // The email's counter is written by a job after the SMTP server's answer; the exporter caches a scrape briefly.
        var text = await ScrapeUntilAsync(http, "/metrics", t => Value(t, "enrollment_email_sent_total") == 1);
        const string flow = $"flow=\"{ServerProcess.Flow}\"";
        Assert.Equal(2, Value(text, "enrollment_flows_started_total", flow));
        Assert.Equal(1, Value(text, "enrollment_flows_completed_total", flow));
        Assert.Equal(1, Value(text, "enrollment_flows_denied_total", flow));
        Assert.Equal(1, Value(text, "enrollment_invitations_created_total"));
        Assert.Equal(1, Value(text, "enrollment_invitations_used_total", flow));
        // Jane's password at least (the start-up's own hashing may come before the exporter listens).
        Assert.True(Value(text, "enrollment_password_hash_duration_seconds_count", "operation=\"hash\"") >= 1, text);
        Assert.True(Value(text, "enrollment_password_hash_duration_seconds_sum", "operation=\"hash\"") > 0);
        Assert.True(Value(text, "enrollment_password_hash_duration_seconds_count", "operation=\"verify\"") >= 1, text); // akadmin's sign-in
        Assert.Contains("# TYPE enrollment_password_hash_duration_seconds histogram", text);
        Assert.Contains("# TYPE enrollment_flows_started_total counter", text);
        // ASP.NET Core's request duration, by route template (never the slug or the key of one request).
        Assert.True(Value(text, "http_server_request_duration_seconds_count", "if/flow/{slug}", "http_request_method=\"POST\"") >= 1, text);
        Assert.DoesNotContain(invitation.ToString(), text);
    }

    [Fact]
    public async Task With_its_own_port_the_scrape_is_only_there_and_that_port_serves_nothing_else()
    {
        var metricsPort = ServerProcess.AnotherFreePort();
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Metrics:Enabled"] = "true", ["Metrics:Port"] = metricsPort.ToString(CultureInfo.InvariantCulture), ["Metrics:Host"] = "127.0.0.1",
        });
        using var main = new HttpClient { BaseAddress = server.BaseAddress };
        using var metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}") };

        Assert.Equal(HttpStatusCode.NotFound, (await main.GetAsync("/metrics")).StatusCode);
        // Naming the metrics port in the Host header does not help: the port the request came in on decides.
        using var pretending = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Host = $"127.0.0.1:{metricsPort}" } };
        Assert.Equal(HttpStatusCode.NotFound, (await main.SendAsync(pretending)).StatusCode);

        var text = await ScrapeUntilAsync(metrics, "/metrics", t => t.Contains("http_server_request_duration_seconds"));
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text);
        Assert.Equal(HttpStatusCode.NotFound, (await metrics.GetAsync("/if/login/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await main.GetAsync("/if/login/")).StatusCode);
    }

    private static async Task<string> ScrapeUntilAsync(HttpClient http, string path, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var response = await http.GetAsync(path);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {TestClient.Excerpt(text)}");
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType ?? "");
            if (done(text)) return text;
            Assert.True(DateTime.UtcNow < deadline, "The scrape never showed what was expected:\n" + text);
            await Task.Delay(500);
        }
    }

    /// <summary>The sample of <paramref name="metric"/> whose labels include every one of <paramref name="labels"/> (0 when there is none).</summary>
    private static double Value(string text, string metric, params string[] labels)
    {
        foreach (var line in text.Split('\n'))
        {
            var m = Regex.Match(line, @"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$");
            if (!m.Success || m.Groups["name"].Value != metric) continue;
            var have = m.Groups["labels"].Value;
            if (labels.All(l => have.Contains(l, StringComparison.Ordinal)))
                return double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        return 0;
    }
}
