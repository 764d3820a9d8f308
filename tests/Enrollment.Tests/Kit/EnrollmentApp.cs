using Enrollment.Tests.Kit.OpenApi;
using System.Net;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Kit;

/// <summary>
/// The real application on a real database: its own SQLite file in a fresh data directory, or its own PostgreSQL
/// database. Bootstraps <c>akadmin</c> and an API token so tests can sign in. What one host does differently from
/// another is its <see cref="HostConfiguration"/>; the named hosts the tests pick from are in <see cref="Hosts"/>.
/// </summary>
public abstract class EnrollmentApp : WebApplicationFactory<Program>
{
    public const string AdminPassword = "Admin-Tulip-Glacier-58!";
    public const string AdminToken = "test-bootstrap-token-0123456789";

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "enrollment-tests", Guid.NewGuid().ToString("N"));

    private readonly HostConfiguration _host;
    private readonly LoopbackSmtpServer? _smtp;
    private readonly SemaphoreSlim _arranging = new(1, 1);
    private readonly Dictionary<string, object> _arranged = [];
    private string? _postgres;

    protected EnrollmentApp(HostConfiguration host)
    {
        _host = host;
        if (host.Mail == HostConfiguration.MailServer.Listening) _smtp = new LoopbackSmtpServer();
        SmtpPort = host.Mail switch
        {
            HostConfiguration.MailServer.Listening => _smtp!.Port,
            HostConfiguration.MailServer.NotListening => LoopbackSmtpServer.FreePort(),
            _ => 0,
        };
        if (host.Kestrel) UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>The SMTP server on loopback this host sends to; only hosts configured with one have it.</summary>
    public LoopbackSmtpServer Smtp => _smtp ?? throw new InvalidOperationException($"{GetType().Name} runs no SMTP server: pick a host with one from Hosts.");

    /// <summary>The port of <c>Email:Port</c>: the loopback server's, or (for a host whose mail server is down) one where nothing listens yet.</summary>
    public int SmtpPort { get; }

    /// <summary>Where the app writes emails when no <c>Email:Host</c> is set (a fresh install's pickup folder).</summary>
    public string MailDirectory => Path.Combine(DataDirectory, "mail");

    /// <summary>Where Kestrel listens once <see cref="StartKestrel"/> ran, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string Address { get; private set; } = "";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(DataDirectory);
        builder.UseEnvironment("Testing");
        builder.UseSetting("DataDirectory", DataDirectory);
        builder.UseSetting("ENROLLMENT_BOOTSTRAP_PASSWORD", AdminPassword);
        builder.UseSetting("ENROLLMENT_BOOTSTRAP_EMAIL", "admin@example.com");
        builder.UseSetting("ENROLLMENT_BOOTSTRAP_TOKEN", AdminToken);
        builder.UseSetting("Jobs:RunServer", "false");
        builder.UseSetting("RateLimits:Enabled", "false"); // every test client is one address; rate-limit tests turn it on
        if (TestDatabase.IsPostgres)
        {
            _postgres = TestDatabase.CreatePostgresDatabase();
            builder.UseSetting("Database:Provider", "Postgres");
            builder.UseSetting("Database:ConnectionString", _postgres);
        }
        if (_host.Mail != HostConfiguration.MailServer.None)
        {
            builder.UseSetting("Email:Host", "127.0.0.1");
            builder.UseSetting("Email:Port", SmtpPort.ToString());
            builder.UseSetting("Email:From", "enrollment@example.com");
            builder.UseSetting("Email:Timeout", "5");
        }
        if (_host.JobServer)
        {
            // Workers poll every 200 ms: tests see what the background jobs do, the way production does it.
            builder.UseSetting("Jobs:RunServer", "true");
            builder.UseSetting("Jobs:PollInterval", "00:00:00.200");
            builder.UseSetting("Jobs:Workers", "2");
        }
        foreach (var (key, value) in _host.Settings?.Invoke(this) ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
        _host.Prepare?.Invoke(this);
        _host.Configure?.Invoke(builder);
    }

    /// <summary>Starts the app on Kestrel (hosts configured with <see cref="HostConfiguration.Kestrel"/>) so a real browser can reach it.</summary>
    public void StartKestrel()
    {
        if (!_host.Kestrel) throw new InvalidOperationException($"{GetType().Name} is not served by Kestrel.");
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("Kestrel reported no addresses.");
        Address = addresses.Single().TrimEnd('/');
    }

    /// <summary>A browser-like client: keeps cookies, does not follow redirects (tests assert them).</summary>
    public TestClient NewClient() => new(CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        BaseAddress = new Uri("http://localhost"),
    }));

    public async Task<TestClient> AdminClientAsync()
    {
        var client = NewClient();
        await client.LoginAsync("akadmin", AdminPassword);
        return client;
    }

    /// <summary>An API client: no cookies, no redirects followed, every response checked against authentik's OpenAPI document.</summary>
    public HttpClient ApiClient(string? token = AdminToken) => ApiClient(new ContractCheckingHandler(), token);

    /// <summary>An API client whose contract checker the caller keeps (to see which operations it exercised).</summary>
    public HttpClient ApiClient(ContractCheckingHandler checker, string? token = AdminToken)
    {
        var client = CreateDefaultClient(new Uri("http://localhost"), checker);
        if (token is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    /// <summary>Runs <paramref name="work"/> in its own scope, as one request would.</summary>
    public async Task<T> DbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public async Task DbAsync(Func<AppDbContext, Task> work)
    {
        await using var scope = Services.CreateAsyncScope();
        await work(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public async Task<TResponse> SendAsync<TResponse>(IRequest<TResponse> request)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(request);
    }

    public async Task<TResponse> SendAsync<TResponse>(ICommand<TResponse> command)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command);
    }

    public async Task<TResponse> SendAsync<TResponse>(IQuery<TResponse> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(query);
    }

    /// <summary>
    /// Data that several tests of one host share and that is arranged the first time one of them asks for it
    /// (under <paramref name="key"/>), one arrangement at a time; a failed arrangement is tried again by the next test.
    /// </summary>
    public async Task<T> ArrangeOnceAsync<T>(string key, Func<Task<T>> arrange) where T : notnull
    {
        await _arranging.WaitAsync();
        try
        {
            if (_arranged.TryGetValue(key, out var arranged)) return (T)arranged;
            var value = await arrange();
            _arranged[key] = value;
            return value;
        }
        finally { _arranging.Release(); }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_postgres is not null) TestDatabase.DropPostgresDatabase(_postgres);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        if (_smtp is not null) await _smtp.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
