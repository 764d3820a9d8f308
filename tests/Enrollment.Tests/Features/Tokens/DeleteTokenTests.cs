using System.Net;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Features.Tokens.TokenPages;

namespace Enrollment.Tests.Features.Tokens;

/// <summary><c>/if/admin/tokens/{id}/delete/</c>: a deleted token's key stops working.</summary>
[Collection(TokensCollection.Name)]
public sealed class DeleteTokenTests(Hosts.Default app)
{
    [Fact]
    public async Task Deleting_a_token_stops_its_key_working()
    {
        using var client = await app.AdminClientAsync();
        var key = await CreateAsync(client, "short-lived");
        var id = await app.DbAsync(db => db.Tokens.Where(t => t.Identifier == "short-lived").Select(t => t.Id).SingleAsync());
        Assert.Contains("short-lived", (await client.GetPageAsync($"/if/admin/tokens/{id}/delete/")).QuerySelector("h1")!.TextContent);

        (await client.PostFormAsync($"/if/admin/tokens/{id}/delete/")).AssertRedirect("/if/admin/tokens/");
        Assert.False(await app.DbAsync(db => db.Tokens.AnyAsync(t => t.Id == id)));
        Assert.False((await AuthenticateAsync(app, key)).Succeeded);

        await client.GetPageAsync($"/if/admin/tokens/{id}/delete/", HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostFormAsync("/if/admin/tokens/", [], $"/if/admin/tokens/{id}/delete/")).StatusCode);
    }
}
