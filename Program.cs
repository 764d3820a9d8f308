using Enrollment.Infrastructure;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.FlowExecution;
using Enrollment.Infrastructure.Identity;
using Enrollment.Infrastructure.Jobs;
using Enrollment.Infrastructure.Web;

var builder = WebApplication.CreateBuilder(args);

var dataDirectory = builder.Services.AddDataDirectory(builder.Configuration, builder.Environment);
builder.Services.AddEnrollmentDatabase(DatabaseSettings.From(builder.Configuration, dataDirectory));
builder.Services.AddMediator(o => o.ServiceLifetime = ServiceLifetime.Scoped);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddEnrollmentIdentity(dataDirectory);
builder.Services.AddEnrollmentWeb();
builder.Services.AddEnrollmentJobs(builder.Configuration, dataDirectory);
builder.Services.AddFlowExecution();
builder.Services.AddBlueprints();

var app = builder.Build();

await app.Services.MigrateDatabaseAsync();
await app.Services.BootstrapAsync();
await app.Services.ApplyDefaultBlueprintsAsync();

app.UseEnrollmentWeb();
app.UseEnrollmentJobs();

app.Run();

public partial class Program;
