using Enrollment.Features.FlowExecution.ExpireFlowPlans;
using Enrollment.Features.Invitations.ExpireInvitations;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Identity;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;

namespace Enrollment.Infrastructure.Jobs;

public static class JobsExtensions
{
    public static IServiceCollection AddEnrollmentJobs(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        var database = DatabaseSettings.From(configuration, dataDirectory);
        // How often idle workers look for new jobs, and the scheduler for due delayed jobs (retries). The storages'
        // default is 15 s; tests and small installs may want less. A TimeSpan: "00:00:00.200".
        var pollInterval = configuration.GetValue<TimeSpan?>("Jobs:PollInterval");
        services.AddHangfire(c =>
        {
            c.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
             .UseSimpleAssemblyNameTypeSerializer()
             .UseRecommendedSerializerSettings()
             .UseLogProvider(new HangfireLogging());
            switch (database.Provider)
            {
                case DatabaseProvider.Sqlite:
                    var sqlite = new SQLiteStorageOptions();
                    if (pollInterval is { } sqlitePoll) sqlite.QueuePollInterval = sqlitePoll;
                    c.UseSQLiteStorage(Path.Combine(dataDirectory, "jobs.db"), sqlite);
                    break;
                case DatabaseProvider.Postgres:
                    var postgres = new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true };
                    if (pollInterval is { } postgresPoll) postgres.QueuePollInterval = postgresPoll;
                    c.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(database.ConnectionString), postgres);
                    break;
                case DatabaseProvider.SqlServer:
                    var sqlServer = new Hangfire.SqlServer.SqlServerStorageOptions();
                    if (pollInterval is { } sqlServerPoll) sqlServer.QueuePollInterval = sqlServerPoll;
                    c.UseSqlServerStorage(database.ConnectionString, sqlServer);
                    break;
            }
        });
        if (configuration.GetValue("Jobs:RunServer", true))
            services.AddHangfireServer(o =>
            {
                o.WorkerCount = configuration.GetValue("Jobs:Workers", Math.Max(2, Environment.ProcessorCount));
                if (pollInterval is { } schedulePoll) o.SchedulePollingInterval = schedulePoll;
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

        // Stable ids, so restarts and several processes update one recurring job instead of adding more.
        var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<ExpireInvitationsJob>(ExpireInvitationsJob.Id, j => j.RunAsync(CancellationToken.None),
            app.Configuration["Jobs:ExpireInvitations"] ?? "*/5 * * * *");
        recurring.AddOrUpdate<ExpireFlowPlansJob>(ExpireFlowPlansJob.Id, j => j.RunAsync(CancellationToken.None), "17 * * * *");
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
