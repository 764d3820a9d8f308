using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Enrollment.Tests.Features.FlowExecution;

/// <summary>
/// The user is written and committed, then the database goes away before the request can answer (the invitee sees
/// "try again"). The same browser submitting the same form again, once the database is back, lands signed in on the
/// user page — never on "username already taken" or "invitation already used": the plan recorded the write in the
/// write's own transaction. SQLite (the database locked by another writer) and PostgreSQL (the server's connection cut).
/// </summary>
public sealed class AnswerLostTests
{
    [SkippableFact]
    public async Task A_submission_whose_user_was_written_but_whose_answer_failed_leads_the_same_browser_to_the_user_page_on_retry()
    {
        var postgres = TestDatabase.IsPostgres ? TestDatabase.CreatePostgresDatabase() : null;
        await using var relay = postgres is null ? null : new TcpRelay(new NpgsqlConnectionStringBuilder(postgres).Host!, new NpgsqlConnectionStringBuilder(postgres).Port);
        var settings = new Dictionary<string, string?>();
        if (postgres is not null)
        {
            settings["Database:Provider"] = "Postgres";
            settings["Database:ConnectionString"] = new NpgsqlConnectionStringBuilder(postgres) { Host = "127.0.0.1", Port = relay!.Port, Timeout = 3 }.ConnectionString;
            settings["Database:MaxRetryCount"] = "1";
            settings["Database:MaxRetryDelay"] = "00:00:00.100";
        }
        var signals = Directory.CreateTempSubdirectory("enrollment-answer-lost-").FullName;
        var (paused, release) = (Path.Combine(signals, "paused"), Path.Combine(signals, "release"));
        try
        {
            await using var app = new Hosts.WithSettings(settings);
            PythonAvailable.Require(app);
            var guide = await FlowKit.GuideFlowAsync(app, "lost", type: UserType.Internal);
            // After the user write, in the same request: a policy of the login stage waits until the database is gone.
            await app.DbAsync(async db =>
            {
                var login = await db.FlowStageBindings.SingleAsync(b => b.StageId == guide.Login.Id);
                login.ReEvaluatePolicies = true;
                db.PolicyBindings.Add(new PolicyBinding
                {
                    FlowStageBindingId = login.Id, Order = 0, Timeout = 60,
                    Policy = FlowKit.Policy("wait-for-the-outage",
                        $"import os, time\nif not os.path.exists({Py(release)}):\n    open({Py(paused)}, 'w').close()\n" +
                        $"    while not os.path.exists({Py(release)}):\n        time.sleep(0.05)\nreturn True"),
                });
                await db.SaveChangesAsync();
            });
            var invitation = await guide.InviteAsync(app, "lost-answer", singleUse: true);
            var link = guide.Link(invitation);
            using var browser = app.NewClient();
            var form = await browser.GetPageAsync(link);

            var submitting = browser.SubmitAsync(link, form, FlowKit.Answers("lostanswer"));
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!File.Exists(paused)) { Assert.True(DateTime.UtcNow < deadline, "The submission never reached the login stage."); await Task.Delay(50); }
            var away = await TakeTheDatabaseAwayAsync(app, relay);
            await File.WriteAllTextAsync(release, "");
            var answer = await submitting;
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
            await BringTheDatabaseBackAsync(relay, away);
            Assert.NotNull(await FlowKit.UserAsync(app, "lostanswer")); // the write had committed

            // The invitee submits the same form again.
            var retried = await browser.SubmitAsync(link, form, FlowKit.Answers("lostanswer"));
            var responses = await FlowKit.FollowAsync(browser, retried);
            var last = responses.Last();
            var body = await last.Content.ReadAsStringAsync();
            Assert.True(last.StatusCode == HttpStatusCode.OK && last.RequestMessage!.RequestUri!.AbsolutePath == "/if/user/",
                $"Ended at {last.RequestMessage!.RequestUri} with {(int)last.StatusCode}: {TestClient.Excerpt(body)}");
            Assert.Contains("lostanswer", body);
            foreach (var r in responses)
            {
                var text = await r.Content.ReadAsStringAsync();
                Assert.DoesNotContain("already taken", text);
                Assert.DoesNotContain(InvitationMessages.Used, text);
            }
            Assert.Equal(1, await app.DbAsync(db => db.Users.CountAsync(u => u.UserName == "lostanswer")));
        }
        finally
        {
            Directory.Delete(signals, true);
            if (postgres is not null) TestDatabase.DropPostgresDatabase(postgres);
        }
    }

    private static string Py(string path) => "'" + path.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    /// <summary>
    /// PostgreSQL: the connection to the server is cut. SQLite: another connection holds the write lock, so the
    /// request's next write waits out SQLite's busy timeout (30 s) and fails as "busy" (a file moved away would not do:
    /// the request's open connection would go on using it).
    /// </summary>
    private static async Task<Microsoft.Data.Sqlite.SqliteConnection?> TakeTheDatabaseAwayAsync(EnrollmentApp app, TcpRelay? relay)
    {
        if (relay is not null) { relay.Stop(); return null; }
        var blocker = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, "enrollment.db")};Pooling=false");
        await blocker.OpenAsync();
        await using var exclusive = blocker.CreateCommand();
        exclusive.CommandText = "BEGIN EXCLUSIVE";
        await exclusive.ExecuteNonQueryAsync();
        return blocker;
    }

    private static async Task BringTheDatabaseBackAsync(TcpRelay? relay, Microsoft.Data.Sqlite.SqliteConnection? blocker)
    {
        if (relay is not null) { relay.Start(); return; }
        await using (var rollback = blocker!.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }
        await blocker.DisposeAsync();
    }
}
