using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Data;

namespace Enrollment.Infrastructure.Cli;

/// <summary>
/// <c>blueprint apply &lt;file&gt; [--context key=value …]</c> and <c>blueprint validate &lt;file&gt;</c>: one import
/// with the server's own configuration (DataDirectory, Database:*), then exit. Exit codes: 0 imported (or valid),
/// 1 the import failed (nothing was saved), 2 usage error.
/// </summary>
public static class BlueprintCommand
{
    public const int Ok = 0, Failed = 1, Usage = 2;

    private const string UsageText = """
        usage: Enrollment blueprint apply <file> [--context key=value ...] [--DataDirectory <dir>] [--Database:Provider ...]
               Enrollment blueprint validate <file> [--context key=value ...]
          apply     imports the blueprint; all or nothing
          validate  runs the import and rolls it back (dry run): checks references and constraints, saves nothing
        """;

    private sealed record Invocation(string? Verb, string? File, Dictionary<string, object?> Context, List<string> HostArgs, string? Error);

    /// <summary>The arguments for the host's configuration: for a blueprint command only the <c>--Key value</c> options after it.</summary>
    public static string[] HostArgs(string[] args) => IsBlueprint(args) ? [.. Parse(args).HostArgs] : args;

    /// <returns>null when <paramref name="args"/> is not a blueprint command (run the server); else the exit code.</returns>
    public static async Task<int?> TryRunAsync(string[] args, WebApplicationBuilder builder)
    {
        if (!IsBlueprint(args)) return null;
        var call = Parse(args);
        if (call.Error is not null)
        {
            await Console.Error.WriteLineAsync($"{call.Error}\n{UsageText}");
            return Usage;
        }
        string yaml;
        try
        {
            yaml = await File.ReadAllTextAsync(call.File!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"cannot read '{call.File}': {e.Message}\n{UsageText}");
            return Usage;
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        await using var app = builder.Build();
        await using (await StartupLock.AcquireAsync(app.Services, app.Logger)) await app.Services.MigrateDatabaseAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<BlueprintImporter>();
        var result = await importer.ImportAsync(yaml, call.Context, dryRun: call.Verb == "validate", CancellationToken.None);
        foreach (var log in result.Logs)
        {
            if (log.Level == BlueprintLogLevel.Error) await Console.Error.WriteLineAsync(log.ToString());
            else Console.WriteLine(log.ToString());
        }
        Console.WriteLine(result.Success
            ? call.Verb == "validate" ? $"{call.File}: valid." : $"{call.File}: applied."
            : $"{call.File}: failed; nothing was changed.");
        return result.Success ? Ok : Failed;
    }

    private static bool IsBlueprint(string[] args) => args.Length > 0 && args[0] == "blueprint";

    private static Invocation Parse(string[] args)
    {
        var context = new Dictionary<string, object?>(StringComparer.Ordinal);
        var host = new List<string>();
        string? error = null, file = null;
        var verb = args.Length > 1 ? args[1] : null;
        if (verb is not ("apply" or "validate")) error = verb is null ? "missing subcommand." : $"unknown subcommand '{verb}'.";
        for (var i = 2; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--context")
            {
                var pair = i + 1 < args.Length ? args[++i] : "";
                var eq = pair.IndexOf('=');
                if (eq <= 0) error ??= "--context needs key=value.";
                else context[pair[..eq]] = pair[(eq + 1)..];
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                host.Add(arg);
                if (!arg.Contains('=') && i + 1 < args.Length) host.Add(args[++i]);
            }
            else if (file is null) file = arg;
            else error ??= $"unexpected argument '{arg}'.";
        }
        if (file is null) error ??= "missing blueprint file.";
        else if (error is null && !File.Exists(file)) error = $"no such file: '{file}'.";
        return new Invocation(verb, file, context, host, error);
    }
}
