using Enrollment.Features.Api;
using Enrollment.Features.Events;
using Enrollment.Features.FlowExecution;
using Enrollment.Features.Brand;
using Enrollment.Features.Invitations;
using Enrollment.Features.Tokens;
using Enrollment.Infrastructure;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Cli;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Email;
using Enrollment.Infrastructure.Health;
using Enrollment.Infrastructure.Identity;
using Enrollment.Infrastructure.Jobs;
using Enrollment.Infrastructure.Passwords;
using Enrollment.Infrastructure.Localization;
using Enrollment.Infrastructure.Python;
using Enrollment.Infrastructure.Telemetry;
using Enrollment.Infrastructure.Web;

// `--python-worker`: one expression-policy worker process of the server (embedded Python only: no web host, no database).
if (PythonWorkerCommand.IsWorker(args)) return PythonWorkerCommand.Run(args);

// `blueprint apply|validate <file>` runs one import and exits; its own arguments are kept from the host's.
var builder = WebApplication.CreateBuilder(BlueprintCommand.HostArgs(args));

builder.AddEnrollmentTelemetry();
var dataDirectory = builder.Services.AddDataDirectory(builder.Configuration, builder.Environment);
builder.Services.AddEnrollmentDatabase(DatabaseSettings.From(builder.Configuration, dataDirectory));
builder.Services.AddMediator(o => o.ServiceLifetime = ServiceLifetime.Scoped);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddEnrollmentDataProtection(builder.Configuration, dataDirectory);
builder.Services.AddPasswords(builder.Configuration);
builder.Services.AddEnrollmentIdentity();
builder.Services.AddEnrollmentWeb();
builder.Services.AddEnrollmentLocalization();
builder.Services.AddEnrollmentProxy(builder.Configuration);
builder.Services.AddEnrollmentHostFiltering(builder.Configuration);
builder.Services.AddEnrollmentHealth();
builder.Services.AddRateLimits(builder.Configuration);
builder.Services.AddEmail(builder.Configuration, dataDirectory);
builder.Services.AddEnrollmentJobs(builder.Configuration, dataDirectory);
builder.Services.AddPythonRuntime(builder.Configuration);
builder.Services.AddBlueprints();
builder.Services.AddFlowExecution();
builder.Services.AddInvitations();
builder.Services.AddApi();
builder.Services.AddTokens();
builder.Services.AddBrand();

if (await BlueprintCommand.TryRunAsync(args, builder) is { } exitCode) return exitCode;

var app = builder.Build();

// Start the interpreter now: its warning belongs in the start-up log, and the first invitee should not wait for it.
_ = app.Services.GetRequiredService<PythonRuntime>();

// Instances started together on one database take turns: the first migrates and bootstraps, the others find it done.
await using (await StartupLock.AcquireAsync(app.Services, app.Logger))
{
    await app.Services.MigrateDatabaseAsync();
    await app.Services.BootstrapAsync();
    await AnonymousUser.EnsureAsync(app.Services);
    await app.Services.DiscoverBlueprintsAsync();
}

app.UseEnrollmentTelemetry();
app.UseEnrollmentWeb();
app.MapEnrollmentHealth();
app.MapApi();
app.UseEnrollmentJobs();
app.UseFlowExecution();
app.UseInvitations();
app.UseEvents();
app.UseBrand();

app.Run();
return 0;

public partial class Program;
