using System.Text.Json.Nodes;
using Enrollment.Infrastructure.Python;
using Enrollment.Tests.Kit;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Infrastructure.Python;

/// <summary>A wrong library path: the server starts, and every evaluation fails with the reason.</summary>
public sealed class PythonMissingTests(Hosts.WithoutPython app) : IClassFixture<Hosts.WithoutPython>
{
    [Fact]
    public async Task Evaluations_fail_with_python_runtime_not_available()
    {
        var python = app.Services.GetRequiredService<PythonExpressions>();
        Assert.False(python.IsAvailable);
        var r = await python.EvaluateAsync("return True", new JsonObject(), TimeSpan.FromSeconds(1), _ => null, default);
        Assert.False(r.Passing);
        Assert.StartsWith("Python runtime not available", r.Error);
        Assert.Contains("/nonexistent/libpython3.11.so", app.Services.GetRequiredService<PythonRuntime>().Problem);
    }
}
