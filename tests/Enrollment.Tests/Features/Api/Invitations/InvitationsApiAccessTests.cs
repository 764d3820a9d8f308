using System.Net;
using Enrollment.Tests.Kit;
using static Enrollment.Tests.Features.Api.Invitations.InvitationsApiClient;

namespace Enrollment.Tests.Features.Api.Invitations;

public sealed class InvitationsApiAccessTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    public static TheoryData<string, bool> Calls => new()
    {
        { "GET", false }, { "POST", false }, { "GET", true }, { "PUT", true }, { "PATCH", true }, { "DELETE", true },
    };

    private async Task<(Guid Pk, string Url)> TargetAsync(bool one)
    {
        var invitation = await app.AddInvitationAsync(ApiJsonClient.Unique("acc"));
        return (invitation.Id, one ? $"{List}{invitation.Id}/" : List);
    }

    private async Task AssertUnchangedAsync(Guid pk, int count)
    {
        var invitation = await app.FindInvitationAsync(pk);
        Assert.NotNull(invitation);
        Assert.StartsWith("acc", invitation.Name);
        Assert.Equal(count, await app.DbAsync(db => Task.FromResult(db.Invitations.Count())));
    }

    [Theory, MemberData(nameof(Calls))]
    public async Task Without_a_token_or_with_a_wrong_one_it_is_401_and_changes_nothing(string method, bool one)
    {
        var (pk, url) = await TargetAsync(one);
        var count = await app.DbAsync(db => Task.FromResult(db.Invitations.Count()));
        foreach (var token in new[] { null, "not-a-real-token" })
        {
            using var client = app.ApiClient(token);
            var body = await client.SendJsonAsync(new HttpMethod(method), url, """{"name":"changed"}""", HttpStatusCode.Unauthorized);
            Assert.Equal("Authentication credentials were not provided or are invalid.", (string?)body["detail"]);
        }
        await AssertUnchangedAsync(pk, count);
    }

    [Theory, MemberData(nameof(Calls))]
    public async Task A_token_of_a_user_who_is_not_a_superuser_is_403_and_changes_nothing(string method, bool one)
    {
        var (pk, url) = await TargetAsync(one);
        var count = await app.DbAsync(db => Task.FromResult(db.Invitations.Count()));
        var user = await app.AddUserAsync(ApiJsonClient.Unique("worker-"), null, await app.AddGroupAsync(ApiJsonClient.Unique("staff-")));
        using var client = app.ApiClient(await app.AddTokenAsync(user));
        var body = await client.SendJsonAsync(new HttpMethod(method), url, """{"name":"changed"}""", HttpStatusCode.Forbidden);
        Assert.Equal("You do not have permission to perform this action.", (string?)body["detail"]);
        await AssertUnchangedAsync(pk, count);
    }
}
