using System.Text.Json;
using Enrollment.Infrastructure.Telemetry;

namespace Enrollment.Tests.Infrastructure.Telemetry;

/// <summary>
/// <c>Logging:Format=json</c>: one JSON object per line with the request's scope, and no secret in the output even
/// with ASP.NET Core's own request lines (which print query strings) turned on.
/// </summary>
public sealed class JsonLogTests
{
    [Fact]
    public async Task An_enrollment_logs_one_json_object_per_line_with_the_request_and_never_the_password_the_invitation_key_or_the_token()
    {
        const string password = "Secret-Tulip-Glacier-58-4711!";
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Logging:Format"] = "json",
            ["Logging:LogLevel:Default"] = "Information",
            // What an operator turns on to see requests: ASP.NET Core's request lines, redirects and endpoints.
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
        });
        var invitation = await server.InviteAsync("json-log-invite");
        using (var invitee = server.NewClient()) await ServerProcess.EnrollAsync(invitee, invitation, "jsonjane", password);
        using (var admin = server.NewClient()) await admin.LoginAsync("akadmin", ServerProcess.AdminPassword);
        await Task.Delay(1000); // the console logger writes on its own thread

        var lines = server.StandardOutput;
        var requests = new List<JsonElement>();
        foreach (var line in lines)
        {
            JsonDocument parsed;
            try { parsed = JsonDocument.Parse(line); }
            catch (JsonException e) { throw new Xunit.Sdk.XunitException($"Not one JSON object: {line} ({e.Message})"); }
            var entry = parsed.RootElement;
            Assert.Equal(JsonValueKind.Object, entry.ValueKind);
            foreach (var field in new[] { "Timestamp", "EventId", "LogLevel", "Category", "Message" }) Assert.True(entry.TryGetProperty(field, out _), $"{field} missing: {line}");
            if (entry.GetProperty("Category").GetString() == "Microsoft.AspNetCore.Hosting.Diagnostics") requests.Add(entry);
        }
        Assert.True(requests.Count >= 6, $"Expected the request lines of the walk, got {requests.Count}:\n{string.Join("\n", lines)}");
        foreach (var request in requests)
        {
            var scopes = request.GetProperty("Scopes").EnumerateArray().ToList();
            Assert.Contains(scopes, s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("RequestId", out var id) && id.GetString()!.Length > 0);
            Assert.Contains(scopes, s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("TraceId", out var id) && id.GetString()!.Length == 32);
        }

        var output = server.Output;
        Assert.DoesNotContain(password, output);
        Assert.DoesNotContain(ServerProcess.AdminPassword, output);
        Assert.DoesNotContain(ServerProcess.AdminToken, output);
        Assert.DoesNotContain(invitation.ToString(), output);
        Assert.DoesNotContain(invitation.ToString("N"), output);
        // The request lines are there, the key cut to what tells two links apart.
        Assert.Contains($"itoken={invitation.ToString()[..8]}...", output);
    }

    [Theory]
    [InlineData("GET http://h/if/flow/f/?itoken=0f8fad5b-d9cb-469f-a165-70867728950e&next=/x", "GET http://h/if/flow/f/?itoken=0f8fad5b...&next=/x")]
    [InlineData("?token=abcdefghijklmnop", "?token=abcdefgh...")]
    [InlineData("/if/flow/f/?a=1&flow_token=ABCDEFGHIJKLMNOPQRSTUVWXYZ", "/if/flow/f/?a=1&flow_token=ABCDEFGH...")]
    [InlineData("redirecting to /if/flow/f/?ITOKEN=0123456789abcdef.", "redirecting to /if/flow/f/?ITOKEN=01234567...")]
    [InlineData("no link here, a token= alone and mytoken=abcdefghijkl", "no link here, a token= alone and mytoken=abcdefghijkl")]
    public void A_link_key_in_a_log_line_keeps_its_first_8_characters(string line, string logged) =>
        Assert.Equal(logged, RedactingConsoleLoggerProvider.Redact(line));
}
