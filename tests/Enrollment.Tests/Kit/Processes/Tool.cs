using System.Diagnostics;

namespace Enrollment.Tests.Kit.Processes;

/// <summary>Runs a system program to its end (initdb, pg_ctl, chown, dotnet publish), as another user when asked.</summary>
public static class Tool
{
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>The first of <paramref name="candidates"/> that exists, else the name found on PATH, else null.</summary>
    public static string? Find(string name, params string[] candidates)
    {
        foreach (var c in candidates) if (File.Exists(c)) return c;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    /// <summary>Runs <paramref name="program"/> and returns its output; a non-zero exit is an exception carrying that output.</summary>
    public static string Run(string program, IEnumerable<string> arguments, string? asUser = null, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var args = arguments.ToList();
        var start = asUser is not null && IsRoot
            ? new ProcessStartInfo("runuser", ["-u", asUser, "--", program, .. args])
            : new ProcessStartInfo(program, args);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in time");
        }
        var output = stdout.Result + stderr.Result;
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {process.ExitCode}: {output}");
        return output;
    }
}
