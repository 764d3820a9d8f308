using System.Security.Claims;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Features.Tokens.TokenPages;

namespace Enrollment.Tests.Features.Tokens;

/// <summary><c>/if/admin/tokens/</c>, the list of tokens and its search.</summary>
[Collection(TokensCollection.Name)]
public sealed class ListTokensTests(Hosts.Default app)
{
    [Fact]
    public async Task The_list_searches_identifier_and_user_and_says_when_nothing_matches()
    {
        using var client = await app.AdminClientAsync();
        await CreateAsync(client, "search-me-ci");
        await CreateAsync(client, "other-script");
        var rows = (await client.GetPageAsync("/if/admin/tokens/?q=SEARCH-me")).QuerySelectorAll("#token-rows tbody tr").Select(r => r.TextContent).ToList();
        Assert.Single(rows);
        Assert.Contains("search-me-ci", rows[0]);
        var none = await client.GetPageAsync("/if/admin/tokens/?q=zzz%25");
        Assert.Contains("No token matches “zzz%”.", none.QuerySelector(".empty")!.TextContent);
    }
}
