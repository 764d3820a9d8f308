using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Enrollment.Infrastructure.Web;

/// <summary>
/// A reverse proxy in front of the server (<c>Proxy:KnownProxies</c>, <c>Proxy:KnownNetworks</c>): from the addresses
/// listed there, and only from those, <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> give the client's address,
/// the scheme and the host. So behind a TLS-terminating proxy cookies are Secure, HSTS is sent, events record the
/// client's address and links use the public origin; from any other address the headers are ignored.
/// </summary>
public static class ProxyExtensions
{
    public static IServiceCollection AddEnrollmentProxy(this IServiceCollection services, IConfiguration configuration)
    {
        var proxies = List(configuration.GetSection("Proxy:KnownProxies"))
            .Select(p => IPAddress.TryParse(p, out var address) ? address
                : throw new InvalidOperationException($"Proxy:KnownProxies: '{p}' is not an IP address (e.g. 10.0.0.5 or ::1)."))
            .ToList();
        var networks = List(configuration.GetSection("Proxy:KnownNetworks"))
            .Select(n => System.Net.IPNetwork.TryParse(n, out var network) ? network
                : throw new InvalidOperationException($"Proxy:KnownNetworks: '{n}' is not a network in CIDR notation (e.g. 10.0.0.0/8 or fd00::/8)."))
            .ToList();
        services.AddSingleton(new TrustedProxies(proxies.Count + networks.Count > 0));
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // ASP.NET Core trusts loopback by default; here nothing is trusted that the settings do not name.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var p in proxies) o.KnownProxies.Add(p);
            foreach (var n in networks) o.KnownIPNetworks.Add(n);
            // Walk back through a chain of trusted proxies (CDN → nginx → server), stopping at the first untrusted hop.
            o.ForwardLimit = null;
        });
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        return services;
    }

    /// <summary>First in the pipeline: everything after it sees the client's scheme, host and address.</summary>
    public static WebApplication UseEnrollmentProxy(this WebApplication app)
    {
        // Without a trusted proxy the middleware would trust every sender of the headers; so it only runs with one.
        if (app.Services.GetRequiredService<TrustedProxies>().Any)
        {
            app.UseForwardedHeaders();
            // The forwarded host is checked like a Host header: a proxy passing on whatever the client sent must not
            // put another site's name into links.
            app.UseHostFiltering();
        }
        // Strict-Transport-Security on HTTPS responses only (the middleware sends nothing over plain HTTP), so a
        // server reached over HTTP during set-up is not locked out of it.
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        return app;
    }

    /// <summary>A list setting given as an array (<c>Proxy:KnownProxies:0</c>, JSON) or as one comma- or space-separated value.</summary>
    private static IEnumerable<string> List(IConfigurationSection section) =>
        (section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value ?? ""))
        .SelectMany(v => v.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Whether any proxy is trusted at all.</summary>
    public sealed record TrustedProxies(bool Any);
}
