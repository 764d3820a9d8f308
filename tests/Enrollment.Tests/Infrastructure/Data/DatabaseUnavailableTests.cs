using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Npgsql;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Infrastructure.Data;

/// <summary>
/// The database goes away under a running server: pages answer 503 with a "try again" page (not a 500 with a
/// reference), the API answers 503 JSON, both with Retry-After; when the database is back, the same server answers
/// normally again without a restart.
/// </summary>
public sealed class DatabaseUnavailableTests
{
    private const string FlowPage = "/if/flow/invitation-enrollment/";
    private const string ApiUsers = "/api/v3/core/users/";

    [SkippableFact]
    public async Task While_PostgreSQL_is_unreachable_pages_and_the_api_answer_503_and_recover_when_it_is_back()
    {
        Skip.IfNot(TestDatabase.IsPostgres, "Needs PostgreSQL: runs in the PostgreSQL pass (ENROLLMENT_TEST_DB=postgres).");
        var database = TestDatabase.CreatePostgresDatabase();
        var direct = new NpgsqlConnectionStringBuilder(database);
        await using var relay = new TcpRelay(direct.Host!, direct.Port);
        var throughRelay = new NpgsqlConnectionStringBuilder(database) { Host = "127.0.0.1", Port = relay.Port, Timeout = 3 }.ConnectionString;
        try
        {
            await using var app = new Hosts.WithSettings(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Postgres",
                ["Database:ConnectionString"] = throughRelay,
                ["Database:MaxRetryCount"] = "1",
                ["Database:MaxRetryDelay"] = "00:00:00.100",
            });
            await AssertServedAsync(app);

            relay.Stop(); // the database "host" is gone: open connections drop, new ones are refused
            await AssertUnavailableAsync(app);

            relay.Start();
            await AssertServedAsync(app);
        }
        finally
        {
            TestDatabase.DropPostgresDatabase(database);
        }
    }

    [SkippableFact]
    public async Task While_the_SQLite_data_directory_is_gone_pages_and_the_api_answer_503_and_recover_when_it_is_back()
    {
        Skip.If(TestDatabase.IsPostgres, "The SQLite file's directory; the PostgreSQL pass takes the server away instead.");
        await using var app = new Hosts.WithSettings(new Dictionary<string, string?>());
        await AssertServedAsync(app);

        var away = app.DataDirectory + ".away";
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // pooled connections would go on reading the moved file
        Directory.Move(app.DataDirectory, away);
        try
        {
            await AssertUnavailableAsync(app);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Move(away, app.DataDirectory);
        }
        await AssertServedAsync(app);
    }

    private static async Task AssertServedAsync(EnrollmentApp app)
    {
        using var client = app.NewClient();
        var page = await client.Http.GetAsync(FlowPage);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using var api = app.ApiClient();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(ApiUsers)).StatusCode);
    }

    private static async Task AssertUnavailableAsync(EnrollmentApp app)
    {
        using var client = app.NewClient();
        var page = await client.Http.GetAsync(FlowPage);
        var body = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.ServiceUnavailable, $"Expected 503, got {(int)page.StatusCode}: {TestClient.Excerpt(body)}");
        Assert.Equal(TimeSpan.FromSeconds(30), page.Headers.RetryAfter?.Delta);
        var html = await TestClient.ParseAsync(page);
        Assert.Equal("Try again in a minute", html.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains("cannot reach its database", html.QuerySelector("main")!.TextContent);
        Assert.DoesNotContain("Reference:", html.QuerySelector("main")!.TextContent);

        using var api = app.ApiClient();
        var answer = await api.GetAsync(ApiUsers);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        Assert.Equal("application/json", answer.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(answer.Headers.RetryAfter);
        var json = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        Assert.Contains("try again", (string)json["detail"]!, StringComparison.OrdinalIgnoreCase);
    }
}
