using System.Diagnostics;
using Enrollment.Tests.Kit;
using Microsoft.Data.Sqlite;

namespace Enrollment.Tests.Infrastructure.Cli;

/// <summary><c>Enrollment blueprint apply|validate</c>, run as the compiled app in its own process on a fresh data directory.</summary>
public sealed class BlueprintCliTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "enrollment-cli-" + Guid.NewGuid().ToString("N"));

    private sealed record Run(int ExitCode, string Output, string Error);

    private async Task<Run> RunAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Enrollment.dll");
        var start = new ProcessStartInfo("dotnet", [dll, .. args, "--DataDirectory", _data, "--Database:Provider", "Sqlite"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ENROLLMENT_BOOTSTRAP_PASSWORD"] = "";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return new Run(process.ExitCode, await output, await error);
    }

    private long Count(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_data, "enrollment.db")};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private string TempBlueprint(string yaml)
    {
        Directory.CreateDirectory(_data);
        var path = Path.Combine(_data, Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [SkippableFact]
    public async Task Apply_imports_with_context_prints_the_log_and_exits_0_validate_writes_nothing()
    {
        Skip.If(TestDatabase.IsPostgres, "The CLI test reads the SQLite file directly.");
        var validate = await RunAsync("blueprint", "validate", BlueprintKit.TinyPath, "--context", "slug=cli-dry");
        Assert.True(validate.ExitCode == 0, validate.Output + validate.Error);
        Assert.Contains("created authentik_flows.flow", validate.Output);
        Assert.Contains("valid", validate.Output);
        Assert.Equal(0, Count("select count(*) from flows where slug = 'cli-dry'"));

        var apply = await RunAsync("blueprint", "apply", BlueprintKit.TinyPath, "--context", "slug=cli-flow", "--context", "title=From the CLI");
        Assert.True(apply.ExitCode == 0, apply.Output + apply.Error);
        Assert.Contains("created authentik_flows.flow", apply.Output);
        Assert.Contains("applied", apply.Output);
        Assert.Equal(1, Count("select count(*) from flows where slug = 'cli-flow' and title = 'From the CLI'"));
    }

    [SkippableFact]
    public async Task A_failing_blueprint_exits_1_with_the_error_and_changes_nothing()
    {
        Skip.If(TestDatabase.IsPostgres, "The CLI test reads the SQLite file directly.");
        var file = TempBlueprint(BlueprintKit.Failing("cli-fail"));
        var run = await RunAsync("blueprint", "apply", file);
        Assert.True(run.ExitCode == 1, run.Output + run.Error);
        Assert.Contains("entries[1]", run.Error);
        Assert.Contains("colour", run.Error);
        Assert.Contains("nothing was changed", run.Output);
        Assert.Equal(0, Count("select count(*) from flows where slug = 'cli-fail'"));
    }

    [Theory]
    [InlineData("blueprint")]
    [InlineData("blueprint", "frobnicate", "x.yaml")]
    [InlineData("blueprint", "apply")]
    [InlineData("blueprint", "apply", "/no/such/blueprint.yaml")]
    [InlineData("blueprint", "apply", "x.yaml", "--context", "novalue")]
    public async Task Usage_errors_exit_2_with_the_usage(params string[] args)
    {
        var run = await RunAsync(args);
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Output}{run.Error}");
        Assert.Contains("usage: Enrollment blueprint apply", run.Error);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
