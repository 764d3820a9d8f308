using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Infrastructure.Data;

/// <summary>
/// An upgrade or a first start of a cluster: several instances start at once on one PostgreSQL database. The first
/// to take the start-up lock migrates, bootstraps and applies the default blueprints; the others wait for it, find
/// the work done and start too.
/// </summary>
public sealed class ConcurrentStartTests
{
    [SkippableFact]
    public async Task Three_instances_starting_at_once_on_an_empty_database_all_start_and_the_first_start_happens_once()
    {
        Skip.IfNot(TestDatabase.IsPostgres, "Several instances on one database: the PostgreSQL suite (ENROLLMENT_TEST_DB=postgres).");
        var database = TestDatabase.CreatePostgresDatabase();
        var instances = Enumerable.Range(0, 3).Select(_ => new Instance(database)).ToList();
        try
        {
            // Each host migrates, bootstraps and applies the default blueprints while it is built.
            var started = instances.Select(i => Task.Run(() => i.Services)).ToList();
            await Task.WhenAll(started);

            await using var scope = instances[0].Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(db.Database.GetMigrations().Count(), (await db.Database.GetAppliedMigrationsAsync()).Count());
            Assert.Equal(1, await db.Users.CountAsync(u => u.UserName == "akadmin"));
            Assert.Equal(1, await db.Tokens.CountAsync());
            Assert.Equal(1, await db.Brands.CountAsync());
            Assert.Equal(1, await db.Flows.CountAsync(f => f.Slug == "invitation-enrollment"));
            Assert.Equal(1, await db.Events.CountAsync(e => e.Action == "blueprint_applied"));
            foreach (var instance in instances)
            {
                using var client = instance.CreateClient();
                Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/if/login/")).StatusCode);
            }
        }
        finally
        {
            foreach (var instance in instances) await instance.DisposeAsync();
            TestDatabase.DropPostgresDatabase(database);
        }
    }

    /// <summary>One instance: its own data directory, the shared database.</summary>
    private sealed class Instance(string database) : WebApplicationFactory<Program>
    {
        private readonly string _data = Path.Combine(Path.GetTempPath(), "enrollment-tests", Guid.NewGuid().ToString("N"));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            Directory.CreateDirectory(_data);
            builder.UseEnvironment("Testing");
            builder.UseSetting("DataDirectory", _data);
            builder.UseSetting("ENROLLMENT_BOOTSTRAP_PASSWORD", EnrollmentApp.AdminPassword);
            builder.UseSetting("ENROLLMENT_BOOTSTRAP_TOKEN", EnrollmentApp.AdminToken);
            builder.UseSetting("Jobs:RunServer", "false");
            builder.UseSetting("Database:Provider", "Postgres");
            builder.UseSetting("Database:ConnectionString", database);
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
        }
    }
}
