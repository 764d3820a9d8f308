using System.Reflection;
using Enrollment.Features.Api.Shared;

namespace Enrollment.Features.Api.Root;

/// <summary>
/// What authentik's clients ask first: <c>/root/config/</c> (no error reporting, no optional capabilities, nothing
/// cached) and <c>/admin/version/</c> (this server's version; it never calls home, so "latest" is the running one).
/// </summary>
public static class RootEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/root/config/", () => Results.Json(new
        {
            error_reporting = new { enabled = false, sentry_dsn = "", environment = "", send_pii = false, traces_sample_rate = 0.0 },
            capabilities = Array.Empty<string>(),
            cache_timeout = 0,
            cache_timeout_flows = 0,
            cache_timeout_policies = 0,
        }, ApiJson.Options)).WithName("root_config_retrieve");
        api.MapGet("/admin/version/", () =>
        {
            var version = Version;
            return Results.Json(new
            {
                version_current = version,
                version_latest = version,
                version_latest_valid = true,
                build_hash = BuildHash,
                outdated = false,
                outpost_outdated = false,
            }, ApiJson.Options);
        }).WithName("admin_version_retrieve");
    }

    private static string Informational =>
        typeof(RootEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The version without the source revision the SDK appends after <c>+</c>.</summary>
    public static string Version => Informational.Split('+')[0];

    public static string BuildHash => Informational.Contains('+') ? Informational[(Informational.IndexOf('+') + 1)..] : "";
}
