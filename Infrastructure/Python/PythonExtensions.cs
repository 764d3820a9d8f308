namespace Enrollment.Infrastructure.Python;

public static class PythonExtensions
{
    /// <summary>
    /// The embedded CPython that checks expressions' syntax, and the pool of worker processes that evaluates them
    /// (<c>Python:Workers</c>, checked here so a wrong value stops the start).
    /// </summary>
    public static IServiceCollection AddPythonRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(PythonSettings.From(configuration));
        services.AddSingleton<PythonRuntime>();
        services.AddSingleton<PythonWorkerPool>();
        services.AddSingleton<PythonExpressions>();
        return services;
    }
}
