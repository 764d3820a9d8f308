using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;

namespace Enrollment.Infrastructure.Telemetry;

/// <summary>
/// Logs and metrics: <c>Logging:Format=json</c> writes one JSON object per line with the request's scope; the
/// console never shows a link's secret in full; <c>Metrics:Enabled=true</c> serves Prometheus' text format at
/// <c>/metrics</c>, on <c>Metrics:Port</c> alone when one is set.
/// </summary>
public static class TelemetryExtensions
{
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddEnrollmentTelemetry(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        // Recorded whether or not anything listens: the features do not ask, and an unheard instrument costs nothing.
        builder.Services.AddSingleton<EnrollmentMetrics>();

        var format = config["Logging:Format"];
        if (format is { Length: > 0 } && !format.Equals("json", StringComparison.OrdinalIgnoreCase) && !format.Equals("text", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Logging:Format '{format}' is not one of json, text.");
        if (string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole(o =>
            {
                // The scopes carry the request (RequestId, RequestPath) and the trace (TraceId, SpanId) of each line.
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            });
        }
        RedactingConsoleLoggerProvider.Replace(builder.Services);

        var metrics = MetricsSettings.From(config);
        if (metrics.Enabled)
        {
            builder.Services.AddOpenTelemetry().WithMetrics(m => m
                .AddAspNetCoreInstrumentation() // http.server.request.duration by http.route, Kestrel's connections
                .AddMeter(EnrollmentMetrics.MeterName)
                .AddPrometheusExporter());
            if (metrics.Port is { } port) builder.WebHost.UseUrls([.. ServerUrls(config), $"http://{metrics.Host}:{port}"]);
        }
        return builder;
    }

    /// <summary>Before everything else in the pipeline: a scrape is not a page (no status page, no sign-in, no limits).</summary>
    public static WebApplication UseEnrollmentTelemetry(this WebApplication app)
    {
        var metrics = MetricsSettings.From(app.Configuration);
        if (!metrics.Enabled) return app;
        if (metrics.Port is not { } port)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(MetricsPath);
            return app;
        }
        // The port the request came in on, not its Host header, decides; that port serves the metrics and nothing else.
        app.MapWhen(c => c.Connection.LocalPort == port, metricsPort => metricsPort
            .UseOpenTelemetryPrometheusScrapingEndpoint(MetricsPath)
            .Run(c =>
            {
                c.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }));
        return app;
    }

    /// <summary>The addresses the server would listen on without the metrics port (a host's own rules, kept).</summary>
    private static IEnumerable<string> ServerUrls(IConfiguration config)
    {
        if (config["urls"] is { Length: > 0 } urls) return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var http = (config["http_ports"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => $"http://*:{p.Trim()}");
        var https = (config["https_ports"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => $"https://*:{p.Trim()}");
        var ports = http.Concat(https).ToList();
        return ports.Count > 0 ? ports : ["http://localhost:5000"];
    }
}
