using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Journeys;

/// <summary>The "done when": a new admin signs in, builds a flow with bound stages and creates an invitation whose link is shown.</summary>
public sealed class QuickStartJourneyTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task New_admin_builds_a_flow_with_four_stages_and_creates_an_invitation_whose_link_is_shown()
    {
        using var client = await app.AdminClientAsync();
        (await client.PostFormAsync("/if/admin/flows/new/", ("Input.Name", "Default enrollment"), ("Input.Slug", "default-enrollment"),
            ("Input.Title", "Welcome!"), ("Input.Designation", "enrollment"), ("Input.Authentication", "require_unauthenticated"),
            ("Input.DeniedAction", "message_continue"), ("Input.Layout", "stacked"), ("Input.PolicyEngineMode", "any")))
            .AssertRedirect("/if/admin/flows/default-enrollment/bindings/");

        var bindings = "/if/admin/flows/default-enrollment/bindings/";
        var stages = new[] { ("invitation", "journey-invitation"), ("prompt", "journey-prompt"), ("user_write", "journey-write"), ("user_login", "journey-login") };
        for (var i = 0; i < stages.Length; i++)
        {
            var page = await client.GetPageAsync(bindings);
            Assert.Equal(((i + 1) * 10).ToString(), page.QuerySelector("input[name='Input.Order']")!.GetAttribute("value"));
            (await client.PostFormAsync(bindings, ("Input.NewStageKind", stages[i].Item1), ("Input.NewStageName", stages[i].Item2),
                ("Input.Order", ((i + 1) * 10).ToString()), ("Input.ReEvaluatePolicies", "true"),
                ("Input.InvalidResponseAction", "retry"), ("Input.PolicyEngineMode", "any"))).AssertRedirect(bindings);
        }
        var table = (await client.GetPageAsync(bindings)).QuerySelectorAll("table tbody tr").Select(r => r.QuerySelector("td:nth-child(2)")!.TextContent.Trim()).ToList();
        Assert.Equal(stages.Select(s => s.Item2), table);

        var created = await client.PostFormAsync("/if/admin/invitations/new/", ("Input.Name", "first-invite"), ("Input.FlowSlug", "default-enrollment"),
            ("Input.FixedData", "email: first@example.com"), ("Input.SingleUse", "true"));
        created.AssertRedirect("/if/admin/invitations/");
        var details = await client.GetPageAsync(created.Headers.Location!.OriginalString);
        var id = await app.DbAsync(db => db.Invitations.Where(i => i.Name == "first-invite").Select(i => i.Id).SingleAsync());
        Assert.Equal($"http://localhost/if/flow/default-enrollment/?itoken={id}", details.QuerySelector("#invitation-link")!.GetAttribute("value"));
        Assert.Empty(details.QuerySelectorAll(".warning"));

        var flowPage = await client.GetPageAsync("/if/admin/flows/default-enrollment/");
        Assert.Contains("first-invite", flowPage.QuerySelector("table")!.TextContent);
        Assert.Equal(4, await app.DbAsync(db => db.FlowStageBindings.CountAsync(b => b.Flow.Slug == "default-enrollment")));
    }
}

/// <summary>The Quick start's first command, as a real process: the compiled server starts on an empty data directory.</summary>
public sealed class ServerProcessTests
{
    [Fact]
    public async Task The_server_starts_on_an_empty_data_directory_applies_migrations_and_serves_the_login_page()
    {
        var data = Path.Combine(Path.GetTempPath(), "enrollment-process-" + Guid.NewGuid().ToString("N"));
        var port = FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "Enrollment.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}", "--DataDirectory", data])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ENROLLMENT_BOOTSTRAP_PASSWORD"] = "";
        if (TestDatabase.IsPostgres)
        {
            start.Environment["Database__Provider"] = "Postgres";
            start.Environment["Database__ConnectionString"] = TestDatabase.CreatePostgresDatabase();
        }
        var output = new System.Text.StringBuilder();
        using var server = Process.Start(start)!;
        server.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        server.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            HttpResponseMessage? response = null;
            for (var i = 0; i < 120 && response is null; i++)
            {
                try { response = await http.GetAsync("/if/login/"); }
                // Not listening yet, or (on a loaded machine) the first request still compiling: try again.
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { await Task.Delay(250); }
                Assert.False(server.HasExited, "The server exited: " + output);
            }
            Assert.NotNull(response);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (start.Environment.TryGetValue("Database__ConnectionString", out var pg) && pg is not null)
            {
                await using var connection = new Npgsql.NpgsqlConnection(pg);
                await connection.OpenAsync();
                await using var query = new Npgsql.NpgsqlCommand("select count(*) from information_schema.tables where table_schema = 'hangfire'", connection);
                Assert.True((long)(await query.ExecuteScalarAsync())! > 0, "Hangfire's storage is in PostgreSQL, schema hangfire");
            }
            else
            {
                Assert.True(File.Exists(Path.Combine(data, "jobs.db")), "Hangfire's SQLite storage is in the data directory");
            }
            if (TestDatabase.IsPostgres)
            {
                // Shared by every instance on the database, not kept per machine.
                await using var connection = new Npgsql.NpgsqlConnection(start.Environment["Database__ConnectionString"]);
                await connection.OpenAsync();
                await using var keys = new Npgsql.NpgsqlCommand("select count(*) from data_protection_keys", connection);
                Assert.True((long)(await keys.ExecuteScalarAsync())! > 0, "data-protection keys are in the database");
            }
            else
            {
                Assert.True(Directory.EnumerateFiles(Path.Combine(data, "keys")).Any(), "data-protection keys are in the data directory");
            }
            lock (output) Assert.Contains("/if/flow/initial-setup/?token=", output.ToString());
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            try { Directory.Delete(data, true); } catch (IOException) { }
            if (start.Environment.TryGetValue("Database__ConnectionString", out var cs) && cs is not null) TestDatabase.DropPostgresDatabase(cs);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
