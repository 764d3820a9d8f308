using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;

using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Infrastructure.Telemetry;

/// <summary>
/// The compiled server as a real process on a loopback port (what an in-process test host cannot show: several ports,
/// the console output), on a fresh data directory or its own PostgreSQL database, with akadmin and an API token
/// bootstrapped and the default flow <c>invitation-enrollment</c> applied. Standard output is kept line by line.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    public const string AdminPassword = EnrollmentApp.AdminPassword;
    public const string AdminToken = EnrollmentApp.AdminToken;
    public const string Flow = "invitation-enrollment";

    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly string _data = Path.Combine(Path.GetTempPath(), "enrollment-process-" + Guid.NewGuid().ToString("N"));
    private readonly string? _postgres;

    public int Port { get; } = FreePort();
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    private ServerProcess(IDictionary<string, string> settings)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Enrollment.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", BaseAddress.ToString().TrimEnd('/'), "--DataDirectory", _data])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ENROLLMENT_BOOTSTRAP_PASSWORD"] = AdminPassword;
        start.Environment["ENROLLMENT_BOOTSTRAP_EMAIL"] = "admin@example.com";
        start.Environment["ENROLLMENT_BOOTSTRAP_TOKEN"] = AdminToken;
        if (TestDatabase.IsPostgres)
        {
            _postgres = TestDatabase.CreatePostgresDatabase();
            start.Environment["Database__Provider"] = "Postgres";
            start.Environment["Database__ConnectionString"] = _postgres;
        }
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.Add(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.Add(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts the server with <paramref name="settings"/> (configuration keys, e.g. <c>Metrics:Enabled</c>) and waits until it serves pages.</summary>
    public static async Task<ServerProcess> StartAsync(IDictionary<string, string> settings)
    {
        var server = new ServerProcess(settings);
        try
        {
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (true)
            {
                Assert.False(server._process.HasExited, "The server exited: " + server.Output);
                try
                {
                    if ((await http.GetAsync("/if/login/")).StatusCode == HttpStatusCode.OK) return server;
                }
                // Not listening yet, or the first request still compiling on a loaded machine: try again.
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
                Assert.True(DateTime.UtcNow < deadline, "The server did not answer within 2 minutes: " + server.Output);
                await Task.Delay(250);
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public IReadOnlyList<string> StandardOutput { get { lock (_stdout) return [.. _stdout]; } }

    /// <summary>Everything the process wrote, both streams.</summary>
    public string Output
    {
        get
        {
            lock (_stdout) lock (_stderr) return string.Join("\n", _stdout.Concat(_stderr));
        }
    }

    /// <summary>A browser without JavaScript: keeps cookies, does not follow redirects.</summary>
    public TestClient NewClient() => new(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
    {
        BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60),
    });

    public HttpClient ApiClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", AdminToken);
        return client;
    }

    /// <summary>A single-use invitation to <see cref="Flow"/> through the API; its id is the link's key.</summary>
    public async Task<Guid> InviteAsync(string name)
    {
        using var api = ApiClient();
        var flow = await api.GetFromJsonAsync<JsonObject>($"/api/v3/flows/instances/{Flow}/");
        var created = await api.PostAsJsonAsync("/api/v3/stages/invitation/invitations/",
            new JsonObject { ["name"] = name, ["flow"] = (string)flow!["pk"]!, ["single_use"] = true });
        var body = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"Creating the invitation: {(int)created.StatusCode} {body}");
        return Guid.Parse((string)JsonNode.Parse(body)!["pk"]!);
    }

    /// <summary>Walks <see cref="Flow"/> with the invitation as an invitee would; ends signed in on the user page.</summary>
    public static async Task EnrollAsync(TestClient client, Guid invitation, string username, string password)
    {
        var link = $"/if/flow/{Flow}/?itoken={invitation}";
        var page = await client.GetPageAsync(link);
        var stage = page.QuerySelector("input[name=stage]")?.GetAttribute("value")
            ?? throw new Xunit.Sdk.XunitException("The flow shows no stage: " + TestClient.Excerpt(page.DocumentElement.OuterHtml));
        var response = await client.PostFormAsync(link, ("username", username), ("name", "Jane Doe"), ("email", $"{username}@example.com"),
            ("password", password), ("password_repeat", password), ("stage", stage));
        response.AssertRedirect("/if/user/");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static int AnotherFreePort() => FreePort();

    public async ValueTask DisposeAsync()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(_data, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        if (_postgres is not null) TestDatabase.DropPostgresDatabase(_postgres);
    }
}
