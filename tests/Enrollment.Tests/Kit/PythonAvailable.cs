using Enrollment.Infrastructure.Python;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Kit;

/// <summary>Python tests skip with a reason when libpython is absent, except under CI where that is a failure.</summary>
public static class PythonAvailable
{
    public static void Require(PythonExpressions python)
    {
        if (python.IsAvailable) return;
        Missing(python.Problem);
    }

    public static void Require(EnrollmentApp app) => Require(app.Services.GetRequiredService<PythonExpressions>());

    /// <summary>The path of the machine's libpython3 (for tests that start a worker process themselves).</summary>
    public static string Library()
    {
        var library = PythonRuntime.FindLibrary();
        if (library is null) Missing("no libpython3 was found");
        return library!;
    }

    private static void Missing(string? problem)
    {
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail("CI=true but the Python runtime is not available: install libpython3.11.");
        Skip.If(true, $"libpython3 is not available ({problem}); apt-get install libpython3.11.");
    }
}
