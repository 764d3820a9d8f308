using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Identity;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;

namespace Enrollment.Infrastructure.Jobs;

public static class JobsExtensions
{
    public static IServiceCollection AddEnrollmentJobs(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        var database = DatabaseSettings.From(configuration, dataDirectory);
        // How often idle workers look for new jobs, and the scheduler for due delayed jobs (email retries): 1 s, so an
        // invitation email leaves about a second after the admin asks (the SQLite and PostgreSQL storages' own default
        // is 15 s; SQL Server's storage polls sub-second by itself). A TimeSpan, e.g. "00:00:00.200" in tests.
        var configuredPoll = configuration.GetValue<TimeSpan?>("Jobs:PollInterval");
        var pollInterval = configuredPoll ?? TimeSpan.FromSeconds(1);
        // Hangfire keeps its storage and job activator in process-wide statics (JobStorage.Current,
        // JobActivator.Current), and its own registrations hand those out: two hosts in one process — the tests run
        // several apps side by side — would run each other's jobs in each other's containers and databases. Each host
        // registers its own first (Hangfire's registrations only fill what is missing).
        JobStorage? storage = null;
        services.AddSingleton(provider =>
        {
            provider.GetRequiredService<IGlobalConfiguration>(); // runs the configuration below, which creates this host's storage
            return storage ?? throw new InvalidOperationException("Hangfire's storage was not configured.");
        });
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(c =>
        {
            c.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
             .UseSimpleAssemblyNameTypeSerializer()
             .UseRecommendedSerializerSettings()
             .UseLogProvider(new HangfireLogging());
            switch (database.Provider)
            {
                case DatabaseProvider.Sqlite:
                    storage = c.UseSQLiteStorage(Path.Combine(dataDirectory, "jobs.db"), new SQLiteStorageOptions { QueuePollInterval = pollInterval }).Entry;
                    break;
                case DatabaseProvider.Postgres:
                    storage = c.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(database.ConnectionString),
                        new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true, QueuePollInterval = pollInterval }).Entry;
                    break;
                case DatabaseProvider.SqlServer:
                    storage = c.UseSqlServerStorage(database.ConnectionString, new Hangfire.SqlServer.SqlServerStorageOptions { QueuePollInterval = configuredPoll ?? TimeSpan.Zero }).Entry;
                    break;
            }
        });
        if (configuration.GetValue("Jobs:RunServer", true))
            services.AddHangfireServer(o =>
            {
                o.WorkerCount = configuration.GetValue("Jobs:Workers", Math.Max(2, Environment.ProcessorCount));
                o.SchedulePollingInterval = pollInterval;
            });
        return services;
    }

    public static WebApplication UseEnrollmentJobs(this WebApplication app)
    {
        app.UseHangfireDashboard("/if/admin/jobs", new DashboardOptions
        {
            AsyncAuthorization = [new SuperuserDashboardFilter()],
            DashboardTitle = "Background jobs",
            AppPath = "/if/admin/",
        });
        return app;
    }

    private sealed class SuperuserDashboardFilter : IDashboardAsyncAuthorizationFilter
    {
        public async Task<bool> AuthorizeAsync(DashboardContext context)
        {
            var http = context.GetHttpContext();
            if (http.User.Identity?.IsAuthenticated != true) return false;
            return await http.RequestServices.GetRequiredService<SuperuserCheck>().IsSuperuserAsync(http.User);
        }
    }
}
