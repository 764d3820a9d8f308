using Microsoft.AspNetCore.HostFiltering;

namespace Enrollment.Infrastructure.Web;

/// <summary>
/// Which <c>Host</c> headers are answered. Links in emails and on invitation pages start with <c>BaseUrl</c>; without
/// it they start with the request's host, so that host must be one of the server's own: <c>AllowedHosts</c> when set,
/// else the hosts of the addresses the server listens on (<c>urls</c>, <c>Kestrel:Endpoints</c>) plus localhost.
/// Any other host gets 400 (ASP.NET Core's host filtering), never an email pointing at it.
/// </summary>
public static class HostFilteringExtensions
{
    public static readonly string[] AlwaysAllowed = ["localhost", "127.0.0.1", "[::1]"];

    public static IServiceCollection AddEnrollmentHostFiltering(this IServiceCollection services, IConfiguration configuration)
    {
        var hosts = AllowedHosts(configuration);
        // Runs after ASP.NET Core's own default ("*" when AllowedHosts is unset), so ours wins.
        services.PostConfigure<HostFilteringOptions>(o => o.AllowedHosts = hosts);
        return services;
    }

    /// <summary>Says at start-up which hosts are answered when that may surprise: a server listening on every address.</summary>
    public static WebApplication LogAllowedHosts(this WebApplication app)
    {
        var hosts = AllowedHosts(app.Configuration);
        if (hosts is not ["*"] && ListensOnAllAddresses(app.Configuration))
            app.Logger.LogWarning("Requests are answered only for the hosts {Hosts}: set BaseUrl (the public origin) or AllowedHosts to reach this server under another name.",
                string.Join(", ", hosts));
        return app;
    }

    /// <summary>The allowed hosts; <c>["*"]</c> answers every host.</summary>
    public static List<string> AllowedHosts(IConfiguration configuration)
    {
        var configured = configuration["AllowedHosts"];
        if (!string.IsNullOrWhiteSpace(configured))
            return [.. configured.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        // With BaseUrl no link depends on the Host header.
        if (!string.IsNullOrWhiteSpace(configuration["BaseUrl"])) return ["*"];
        var hosts = new List<string>(AlwaysAllowed);
        foreach (var url in ListenUrls(configuration))
            if (HostOf(url) is { } host && !hosts.Contains(host, StringComparer.OrdinalIgnoreCase)) hosts.Add(host);
        return hosts;
    }

    /// <summary>True when the server listens on every address (<c>http://+:80</c>): only localhost and <c>AllowedHosts</c> are answered then.</summary>
    public static bool ListensOnAllAddresses(IConfiguration configuration) =>
        ListenUrls(configuration).Any(u => HostOf(u) is null) || !string.IsNullOrWhiteSpace(configuration["http_ports"]) || !string.IsNullOrWhiteSpace(configuration["https_ports"]);

    private static IEnumerable<string> ListenUrls(IConfiguration configuration)
    {
        foreach (var url in (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            yield return url;
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
            if (endpoint["Url"] is { Length: > 0 } url) yield return url;
    }

    /// <summary>The host a listen address names, or null for a wildcard (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>) or a socket path.</summary>
    private static string? HostOf(string url)
    {
        try
        {
            var address = BindingAddress.Parse(url);
            if (address.IsUnixPipe || address.IsNamedPipe) return null;
            var host = address.Host;
            return host is "*" or "+" or "0.0.0.0" or "[::]" or "" ? null : host;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
