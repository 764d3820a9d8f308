using Python.Runtime;

namespace Enrollment.Infrastructure.Python;

/// <summary>
/// The embedded CPython (pythonnet) with the policy module loaded: in the server it checks expressions' syntax and
/// tells whether Python is there at all; in each worker process (<see cref="PythonWorkerCommand"/>) it evaluates them.
/// The library is found automatically or named by <c>Python:Library</c>; without it the server still runs and every
/// expression fails with "Python runtime not available". CPython can be started once per process, so the
/// interpreter is process-wide; each app instance only decides whether its configured library is the one running.
/// </summary>
public sealed class PythonRuntime
{
    public const string NotAvailable = "Python runtime not available";

    private static readonly Lock Gate = new();
    private static string? _started;
    private static PyObject? _module;

    public bool IsAvailable { get; }
    /// <summary>Why Python is not available, for the start-up warning and the policies page.</summary>
    public string? Problem { get; }
    public string? Library { get; }
    public string? Version { get; private set; }

    internal PyObject Module => _module ?? throw new InvalidOperationException(NotAvailable);

    public PythonRuntime(IConfiguration configuration, ILogger<PythonRuntime> log)
    {
        var configured = configuration["Python:Library"];
        Library = string.IsNullOrWhiteSpace(configured) ? FindLibrary() : configured;
        try
        {
            if (Library is null) throw new FileNotFoundException("no libpython3 was found; set Python:Library to its path");
            if (!File.Exists(Library)) throw new FileNotFoundException($"{Library} does not exist");
            Start(Library);
            using (Py.GIL()) Version = PythonEngine.Version.Split(' ')[0];
            IsAvailable = true;
            log.LogInformation("Expression policies run on Python {Version} ({Library})", Version, Library);
        }
        catch (Exception e)
        {
            Problem = $"{NotAvailable}: {e.Message}";
            log.LogWarning("{Problem}. Expression policies will fail (counted as their failure result) until it is installed.", Problem);
        }
    }

    private static void Start(string library)
    {
        lock (Gate)
        {
            if (_started is not null)
            {
                if (!string.Equals(Path.GetFullPath(_started), Path.GetFullPath(library), StringComparison.Ordinal))
                    throw new InvalidOperationException($"this process already runs {_started}; restart to use {library}");
                return;
            }
            Runtime.PythonDLL = library;
            PythonEngine.Initialize();
            try
            {
                using var source = typeof(PythonRuntime).Assembly.GetManifestResourceStream("Enrollment.Infrastructure.Python.policy_runtime.py")
                    ?? throw new InvalidOperationException("policy_runtime.py is not embedded");
                using var reader = new StreamReader(source);
                _module = PyModule.FromString("enrollment_policies", reader.ReadToEnd());
            }
            finally
            {
                // Other threads take the GIL per evaluation; the starting thread must let go of it.
                PythonEngine.BeginAllowThreads();
            }
            _started = library;
        }
    }

    /// <summary>The newest <c>libpython3.x</c> shared library in the usual places.</summary>
    public static string? FindLibrary()
    {
        string[] folders = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib", "/opt/homebrew/lib"];
        return folders.Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "libpython3.*.so*").Concat(Directory.EnumerateFiles(d, "libpython3.*.dylib")))
            .Select(f => (File: f, Minor: MinorVersion(f)))
            .Where(x => x.Minor is not null)
            .OrderByDescending(x => x.Minor).ThenByDescending(x => x.File.Length)
            .Select(x => x.File).FirstOrDefault();
    }

    private static int? MinorVersion(string file)
    {
        var name = Path.GetFileName(file);
        var m = System.Text.RegularExpressions.Regex.Match(name, @"^libpython3\.(\d+)\.(so(\.1(\.0)?)?|dylib)$");
        return m.Success ? int.Parse(m.Groups[1].Value) : null;
    }
}
