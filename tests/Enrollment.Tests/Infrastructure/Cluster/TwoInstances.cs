using System.Net;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Infrastructure.Cluster;

/// <summary>
/// Two app hosts on one PostgreSQL database, each with its own data directory: two machines behind a load balancer
/// without sticky sessions. A browser is one cookie jar; <see cref="Browser"/> gives it a client on either instance.
/// </summary>
public sealed class TwoInstances : IAsyncDisposable
{
    public const string PostgresOnly =
        "Several instances share state through PostgreSQL: runs in the PostgreSQL pass (ENROLLMENT_TEST_DB=postgres, as tests/run.sh and CI do).";

    public string ConnectionString { get; }
    public Instance A { get; }
    public Instance B { get; }

    private TwoInstances(string connectionString, IDictionary<string, string?> settings)
    {
        ConnectionString = connectionString;
        A = new Instance(connectionString, settings);
        B = new Instance(connectionString, settings);
    }

    /// <summary>A fresh database; A starts first (it migrates and bootstraps), then B on the same database.</summary>
    public static TwoInstances Start(IDictionary<string, string?>? settings = null)
    {
        var cluster = new TwoInstances(TestDatabase.CreatePostgresDatabase(), settings ?? new Dictionary<string, string?>());
        _ = cluster.A.Server;
        _ = cluster.B.Server;
        return cluster;
    }

    /// <summary>A client of <paramref name="instance"/> that keeps its cookies in <paramref name="cookies"/>, the browser's jar.</summary>
    public static TestClient Browser(CookieContainer cookies, EnrollmentApp instance) =>
        new(new HttpClient(new CookieContainerHandler(cookies) { InnerHandler = instance.Server.CreateHandler() })
        {
            BaseAddress = new Uri("http://localhost"),
        });

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        TestDatabase.DropPostgresDatabase(ConnectionString);
    }

    /// <summary>One instance: its own data directory, the cluster's database.</summary>
    public sealed class Instance(string connectionString, IDictionary<string, string?> settings) : EnrollmentApp(new HostConfiguration
    {
        Settings = _ => new Dictionary<string, string?>(settings)
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = connectionString,
        },
    });
}
