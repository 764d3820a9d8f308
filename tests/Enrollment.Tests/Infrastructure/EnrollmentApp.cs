using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Infrastructure;

/// <summary>
/// The real application on a real database: its own SQLite file in a fresh data directory, or its own PostgreSQL
/// database. Bootstraps <c>akadmin</c> and an API token so tests can sign in.
/// </summary>
public class EnrollmentApp : WebApplicationFactory<Program>
{
    public const string AdminPassword = "Admin-Passw0rd!";
    public const string AdminToken = "test-bootstrap-token-0123456789";

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "enrollment-tests", Guid.NewGuid().ToString("N"));
    private string? _postgres;

    /// <summary>
    /// For fixtures that need the database exactly as bootstrap leaves it: no default flow from
    /// <c>blueprints/default/</c> (which a real first start applies).
    /// </summary>
    public static IDictionary<string, string?> WithoutDefaultBlueprints => new Dictionary<string, string?> { ["Blueprints:ApplyDefaults"] = "false" };

    /// <summary>Settings a test class adds before the app starts (e.g. a bootstrap password left out).</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

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
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
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

    public HttpClient ApiClient(string? token = AdminToken)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
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

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_postgres is not null) TestDatabase.DropPostgresDatabase(_postgres);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        GC.SuppressFinalize(this);
    }
}
