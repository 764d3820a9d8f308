using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Processes;
using Npgsql;

namespace Enrollment.Tests.Cluster;

/// <summary>
/// The deployment docs/operations.md describes, for real: two processes of the published server, each with its own
/// data directory, on one PostgreSQL database (a server of this fixture's own, so a test may stop it), behind nginx
/// round robin without stickiness; both run job workers (one each) and send mail to one loopback SMTP server.
/// The instances start at the same moment: one migrates and bootstraps, the other waits for it.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const string Database = "enrollment";
    public const string Flow = "invitation-enrollment";

    /// <summary>Why the cluster cannot run here (a missing program), or null.</summary>
    public string? Missing { get; private set; }

    public PostgresProcess Postgres { get; private set; } = null!;
    public NginxProcess Nginx { get; private set; } = null!;
    public SlowSmtpServer Smtp { get; } = new(TimeSpan.FromMilliseconds(5));
    public AppProcess A { get; private set; } = null!;
    public AppProcess B { get; private set; } = null!;
    public IEnumerable<AppProcess> Instances => [A, B];

    public async Task InitializeAsync()
    {
        var missing = new List<string>();
        if (NginxProcess.Binary is null) missing.Add("nginx");
        if (PostgresProcess.Binaries is null) missing.Add("postgresql");
        if (missing.Count > 0)
        {
            Missing = $"the cluster suite needs {string.Join(" and ", missing)} (apt-get install {string.Join(' ', missing)}; .ci/run installs them)";
            return;
        }
        var dll = PublishedServer.Path;
        Postgres = await PostgresProcess.StartNewAsync();
        await Postgres.CreateDatabaseAsync(Database);
        int portA = AnotherPort(), portB = AnotherPort();
        Nginx = await NginxProcess.StartAsync(portA, portB);
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["Database__ConnectionString"] = Postgres.ConnectionString(Database),
            ["ENROLLMENT_BOOTSTRAP_PASSWORD"] = EnrollmentApp.AdminPassword,
            ["ENROLLMENT_BOOTSTRAP_EMAIL"] = "admin@example.com",
            ["ENROLLMENT_BOOTSTRAP_TOKEN"] = EnrollmentApp.AdminToken,
            ["BaseUrl"] = Nginx.BaseAddress.ToString().TrimEnd('/'),
            ["Proxy__KnownProxies"] = "127.0.0.1",
            ["Email__Host"] = "127.0.0.1", ["Email__Port"] = Smtp.Port.ToString(), ["Email__From"] = "enrollment@example.com",
            ["Email__UseTls"] = "false", ["Email__Timeout"] = "2",
            // One worker each: a batch of two jobs is sent by both instances at once.
            ["Jobs__Workers"] = "1", ["Jobs__PollInterval"] = "00:00:00.200", ["Jobs__InvisibilityTimeout"] = "00:00:05",
            // Every minute, so the suite sees the recurring expiry come round a few times on both instances.
            ["Jobs__ExpireInvitations"] = "* * * * *",
            // Every request of this suite comes from one address (the tests' own), far more often than a person would.
            ["RateLimits__Enabled"] = "false",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        A = new AppProcess(dll, portA, NewDataDirectory(), settings);
        B = new AppProcess(dll, portB, NewDataDirectory(), settings);
        await Task.WhenAll(A.StartAsync(), B.StartAsync());
    }

    /// <summary>Skips the test where the cluster cannot run, except with <c>CI=true</c>, where that fails it.</summary>
    public void Require()
    {
        if (Missing is null) return;
        if (TestDatabase.IsCi) Assert.Fail("CI=true but " + Missing);
        Skip.If(true, Missing);
    }

    /// <summary>A browser without JavaScript, through nginx: keeps cookies, does not follow redirects.</summary>
    public TestClient Browser() => new(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
    {
        BaseAddress = Nginx.BaseAddress, Timeout = TimeSpan.FromSeconds(90),
    });

    /// <summary>An API client with the admin token, through nginx.</summary>
    public HttpClient Api()
    {
        var client = new HttpClient { BaseAddress = Nginx.BaseAddress, Timeout = TimeSpan.FromSeconds(90) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", EnrollmentApp.AdminToken);
        return client;
    }

    /// <summary>Which instance served a response that came through nginx.</summary>
    public AppProcess ServedBy(HttpResponseMessage response)
    {
        var upstream = response.Headers.TryGetValues(NginxProcess.UpstreamHeader, out var values) ? values.Last() : "";
        // After a failed try nginx lists every upstream it tried ("a, b"): the last one answered.
        var last = upstream.Split(',').Last().Trim();
        return Instances.SingleOrDefault(i => last == $"127.0.0.1:{i.Port}")
            ?? throw new Xunit.Sdk.XunitException($"No instance served this response ({NginxProcess.UpstreamHeader}: '{upstream}')");
    }

    /// <summary>An invitation to <see cref="Flow"/> through the API.</summary>
    public async Task<Guid> InviteAsync(string name, bool singleUse, int? maxUses = null)
    {
        using var api = Api();
        var flow = await api.GetFromJsonAsync<JsonObject>($"/api/v3/flows/instances/{Flow}/");
        var body0 = new JsonObject { ["name"] = name, ["flow"] = (string)flow!["pk"]!, ["single_use"] = singleUse };
        if (maxUses is { } max) body0["max_uses"] = max;
        var created = await api.PostAsJsonAsync("/api/v3/stages/invitation/invitations/", body0);
        var body = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"Creating the invitation: {(int)created.StatusCode} {body}");
        return Guid.Parse((string)JsonNode.Parse(body)!["pk"]!);
    }

    /// <summary>One SQL query on the cluster's database, straight to PostgreSQL.</summary>
    public async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Postgres.ConnectionString(Database) + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync()) rows.Add(read(reader));
        return rows;
    }

    private static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "enrollment-cluster-" + Guid.NewGuid().ToString("N"));

    private static int AnotherPort() => LoopbackSmtpServer.FreePort();

    public async Task DisposeAsync()
    {
        if (A is not null) await A.DisposeAsync();
        if (B is not null) await B.DisposeAsync();
        if (Nginx is not null) await Nginx.DisposeAsync();
        if (Postgres is not null) await Postgres.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
