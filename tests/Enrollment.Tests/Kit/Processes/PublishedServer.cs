namespace Enrollment.Tests.Kit.Processes;

/// <summary>
/// The server as an admin deploys it: <c>dotnet publish -c Release</c> of Enrollment.csproj, made once per test run
/// into <c>artifacts/published</c> (or taken from <c>ENROLLMENT_PUBLISHED_DIR</c> when that folder is given).
/// </summary>
public static class PublishedServer
{
    private static readonly Lazy<string> Dll = new(Publish, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Path of the published <c>Enrollment.dll</c>.</summary>
    public static string Path => Dll.Value;

    private static string Publish()
    {
        var given = Environment.GetEnvironmentVariable("ENROLLMENT_PUBLISHED_DIR");
        if (!string.IsNullOrEmpty(given))
        {
            var dll = System.IO.Path.Combine(given, "Enrollment.dll");
            if (!File.Exists(dll)) throw new InvalidOperationException($"ENROLLMENT_PUBLISHED_DIR={given} holds no Enrollment.dll");
            return dll;
        }
        var root = RepositoryRoot();
        var output = System.IO.Path.Combine(root, "artifacts", "published");
        Tool.Run("dotnet", ["publish", System.IO.Path.Combine(root, "Enrollment.csproj"), "-c", "Release", "-o", output, "-nologo", "-v", "q"],
            timeout: TimeSpan.FromMinutes(10), workingDirectory: root);
        return System.IO.Path.Combine(output, "Enrollment.dll");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Enrollment.csproj"))) return dir.FullName;
        throw new InvalidOperationException("Enrollment.csproj not found above " + AppContext.BaseDirectory);
    }
}
