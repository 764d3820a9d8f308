using System.Net;
using Enrollment.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Browser;

/// <summary>
/// The real application served by Kestrel on 127.0.0.1 (a free port), so a real browser can reach it.
/// Same database set-up as <see cref="EnrollmentApp"/>.
/// </summary>
public sealed class BrowserApp : EnrollmentApp
{
    public BrowserApp() => UseKestrel(o => o.Listen(IPAddress.Loopback, 0));

    /// <summary>Where Kestrel listens, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string Address { get; private set; } = "";

    public void Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("Kestrel reported no addresses.");
        Address = addresses.Single().TrimEnd('/');
    }
}
