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
        var settings = JobSettings.From(configuration);
        services.AddSingleton(settings);
        var pollInterval = settings.PollInterval;
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
                    // No sliding timeout here: a job that runs longer than InvisibilityTimeout would be taken a second
                    // time, so long jobs hand their rest to a new job at JobSettings.RunBudget.
                    storage = c.UseSQLiteStorage(Path.Combine(dataDirectory, "jobs.db"), new SQLiteStorageOptions
                    {
                        QueuePollInterval = pollInterval,
                        InvisibilityTimeout = settings.InvisibilityTimeout,
                    }).Entry;
                    break;
                case DatabaseProvider.Postgres:
                    storage = c.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(database.ConnectionString),
                        new PostgreSqlStorageOptions
                        {
                            SchemaName = "hangfire", PrepareSchemaIfNecessary = true, QueuePollInterval = pollInterval,
                            // A live worker keeps its job hidden however long it runs; a killed one's job is taken again
                            // after InvisibilityTimeout (the storage's default is 30 minutes).
                            InvisibilityTimeout = settings.InvisibilityTimeout,
                            UseSlidingInvisibilityTimeout = true,
                        }).Entry;
                    break;
                case DatabaseProvider.SqlServer:
                    storage = c.UseSqlServerStorage(database.ConnectionString, new Hangfire.SqlServer.SqlServerStorageOptions
                    {
                        QueuePollInterval = settings.ConfiguredPollInterval ?? TimeSpan.Zero,
                        SlidingInvisibilityTimeout = settings.InvisibilityTimeout,
                    }).Entry;
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
