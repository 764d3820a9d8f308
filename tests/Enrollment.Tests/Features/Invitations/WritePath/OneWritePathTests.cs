using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Tests.Features.Api;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Features.Api.Invitations.InvitationsApiClient;

namespace Enrollment.Tests.Features.Invitations.WritePath;

/// <summary>The admin form and the API create an invitation through the same command: the same row, the same event.</summary>
public sealed class OneWritePathTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task The_admin_form_and_the_api_store_the_same_invitation_and_record_the_same_event()
    {
        var p = ApiJsonClient.Unique("same");
        var flow = await app.FlowAsync($"{p}-flow", withInvitationStage: true);

        using var page = await app.AdminClientAsync();
        var response = await page.PostFormAsync("/if/admin/invitations/new/", ("Input.Name", $"{p}-page"), ("Input.Expires", "2031-01-01T12:00"),
            ("Input.FlowSlug", flow.Slug), ("Input.SingleUse", "true"), ("Input.FixedData", """{"email":"a@example.com","attributes":{"x":1}}"""));
        response.AssertRedirect("/if/admin/invitations/");
        var fromPage = await app.DbAsync(db => db.Invitations.AsNoTracking().SingleAsync(i => i.Name == $"{p}-page"));

        using var api = app.ApiClient();
        var json = new JsonObject
        {
            ["name"] = $"{p}-api", ["expires"] = "2031-01-01T12:00:00Z", ["flow"] = flow.Id.ToString(), ["single_use"] = true,
            ["fixed_data"] = JsonNode.Parse("""{"email":"a@example.com","attributes":{"x":1}}"""),
        };
        var body = await api.SendJsonAsync(HttpMethod.Post, List, json.ToJsonString(), HttpStatusCode.Created);
        var fromApi = (await app.FindInvitationAsync(Guid.Parse((string)body["pk"]!)))!;

        Assert.Equal(fromPage.Expires, fromApi.Expires);
        Assert.Equal(flow.Id, fromPage.FlowId);
        Assert.Equal(fromPage.FlowId, fromApi.FlowId);
        Assert.True(fromPage.SingleUse);
        Assert.True(fromApi.SingleUse);
        Assert.Equal(fromPage.FixedData.ToJsonString(), fromApi.FixedData.ToJsonString());
        Assert.NotNull(fromPage.CreatedById);
        Assert.Equal(fromPage.CreatedById, fromApi.CreatedById); // both as akadmin: signed in, and the bootstrap token's user
        Assert.Equal((0, (DateTime?)null), (fromPage.Uses, fromPage.LastUsed));
        Assert.Equal((0, (DateTime?)null), (fromApi.Uses, fromApi.LastUsed));

        var pageEvent = Assert.Single(await app.EventsAboutAsync("invitation_created", fromPage.Id));
        var apiEvent = Assert.Single(await app.EventsAboutAsync("invitation_created", fromApi.Id));
        Assert.True(JsonNode.DeepEquals(pageEvent.User, apiEvent.User), $"{pageEvent.User.ToJsonString()} / {apiEvent.User.ToJsonString()}");
        Assert.Equal(pageEvent.App, apiEvent.App);
        // By content: PostgreSQL's jsonb keeps its own key order.
        Assert.True(JsonNode.DeepEquals(Expected(fromPage), pageEvent.Context), pageEvent.Context.ToJsonString());
        Assert.True(JsonNode.DeepEquals(Expected(fromApi), apiEvent.Context), apiEvent.Context.ToJsonString());

        JsonObject Expected(Invitation i) => new()
        {
            ["invitation"] = new JsonObject { ["pk"] = i.Id.ToString(), ["name"] = i.Name },
            ["flow"] = flow.Slug,
        };
    }
}
