namespace Enrollment.Infrastructure.Telemetry;

/// <summary><c>Metrics:Enabled</c> (off by default), <c>Metrics:Port</c> (none: the server's own port) and <c>Metrics:Host</c> (the port's address, default every interface).</summary>
public sealed record MetricsSettings(bool Enabled, int? Port, string Host)
{
    public static MetricsSettings From(IConfiguration config)
    {
        var section = config.GetSection("Metrics");
        var port = section.GetValue<int?>("Port");
        if (port is < 1 or > 65535) throw new InvalidOperationException($"Metrics:Port must be between 1 and 65535, not {port}.");
        return new(section.GetValue("Enabled", false), port, section["Host"] is { Length: > 0 } host ? host : "*");
    }
}
