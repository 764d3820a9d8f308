namespace Enrollment.Infrastructure.Python;

public static class PythonExtensions
{
    /// <summary>The embedded CPython that expression policies and prompt expressions run on.</summary>
    public static IServiceCollection AddPythonRuntime(this IServiceCollection services)
    {
        services.AddSingleton<PythonRuntime>();
        services.AddSingleton<PythonExpressions>();
        return services;
    }
}
