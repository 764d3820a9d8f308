using Enrollment.Tests.Kit;
namespace Enrollment.Tests.Infrastructure.Telemetry;

/// <summary>A mistyped logging or metrics setting stops the start with a message naming it, instead of being ignored.</summary>
public sealed class TelemetrySettingsTests
{
    [Theory]
    [InlineData("Logging:Format", "xml", "Logging:Format 'xml' is not one of json, text.")]
    [InlineData("Metrics:Port", "70000", "Metrics:Port must be between 1 and 65535, not 70000.")]
    [InlineData("Metrics:Port", "nine", "Metrics:Port")]
    public async Task A_setting_the_server_cannot_use_stops_the_start_with_its_name(string key, string value, string message)
    {
        await using var app = new Hosts.WithSettings(new Dictionary<string, string?> { [key] = value, ["Metrics:Enabled"] = "true" });
        var e = Assert.ThrowsAny<Exception>(() => app.Services);
        Assert.Contains(message, e.ToString());
    }
}
