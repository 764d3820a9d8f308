namespace Enrollment.Infrastructure;

public static class DataDirectoryExtensions
{
    /// <summary>Everything the server writes (database, keys, mail pickup) goes under one folder, <c>DataDirectory</c>.</summary>
    public static string AddDataDirectory(this IServiceCollection services, IConfiguration configuration, IHostEnvironment env)
    {
        var configured = configuration["DataDirectory"] ?? "data";
        var path = System.IO.Path.GetFullPath(configured, env.ContentRootPath);
        Directory.CreateDirectory(path);
        services.AddSingleton(new DataDirectory(path));
        return path;
    }
}
