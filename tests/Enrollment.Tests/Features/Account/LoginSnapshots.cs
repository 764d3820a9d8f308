using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Snapshots;
using Snapshooter.Xunit;

namespace Enrollment.Tests.Features.Account;

/// <summary>Pages a visitor sees before signing in (snapshots in <c>__snapshots__/</c> beside this file).</summary>
public sealed class LoginSnapshots(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task Login_page()
    {
        using var client = app.NewClient();
        Snapshot.Match(await HtmlSnapshot.OfAsync(client, "/if/login/"));
    }
}
