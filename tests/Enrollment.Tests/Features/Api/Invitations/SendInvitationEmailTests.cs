using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Tests.Infrastructure.Email;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Features.Api.Invitations.InvitationsApiClient;

namespace Enrollment.Tests.Features.Api.Invitations;

/// <summary>
/// <c>POST …/invitations/{pk}/send_email/</c>: every answer authentik gives, and for every refusal, nothing written
/// and nothing enqueued. (Delivery through the app's job server: <see cref="InvitationDeliveryTests"/>.)
/// </summary>
public sealed class SendInvitationEmailTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private static string SendEmail(Guid pk) => $"{List}{pk}/send_email/";

    private async Task<Invitation> InvitationAsync(bool withFlow = true, DateTime? expires = null)
    {
        var flow = withFlow ? await app.FlowAsync(ApiJsonClient.Unique("send-api-"), withInvitationStage: true) : null;
        return await app.AddInvitationAsync(ApiJsonClient.Unique("send-api-"), expires: expires, flow: flow);
    }

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"Expected {expected}, got {actual?.ToJsonString()}");

    /// <summary>Posts <paramref name="body"/> and checks the answer; nothing may be written or enqueued unless it is 204.</summary>
    private async Task<JsonNode?> PostAsync(Invitation invitation, string? body, HttpStatusCode expected, HttpClient? client = null)
    {
        var jobs = app.EnqueuedDeliveryJobs().Count;
        using var own = client is null ? app.ApiClient() : null;
        var (status, json) = await (client ?? own!).SendJsonAsync(HttpMethod.Post, SendEmail(invitation.Id), body);
        Assert.True(status == expected, $"Expected {(int)expected}, got {(int)status}: {json?.ToJsonString()}");
        if (expected != HttpStatusCode.NoContent)
        {
            Assert.Empty(await app.DeliveriesAsync(invitation.Id));
            Assert.Equal(jobs, app.EnqueuedDeliveryJobs().Count);
        }
        return json;
    }

    [Fact]
    public async Task Queued_is_204_with_one_delivery_per_address_in_the_name_of_the_tokens_user_and_one_job()
    {
        var invitation = await InvitationAsync();
        var json = await PostAsync(invitation, """
            {"email_addresses": ["one@example.com", "two@example.com"], "cc_addresses": ["cc@example.com"],
             "bcc_addresses": ["bcc1@example.com", "bcc2@example.com"], "template": "email/invitation.html"}
            """, HttpStatusCode.NoContent);
        Assert.Null(json);

        var admin = await app.AdminAsync();
        var deliveries = await app.DeliveriesAsync(invitation.Id);
        Assert.Equal(["one@example.com", "two@example.com"], deliveries.Select(d => d.Email));
        Assert.All(deliveries, d =>
        {
            Assert.Equal(DeliveryState.Queued, d.State);
            Assert.Equal(admin.Id, d.RequestedById);
            Assert.Equal(["cc@example.com"], d.Cc.Select(n => (string)n!));
            Assert.Equal(["bcc1@example.com", "bcc2@example.com"], d.Bcc.Select(n => (string)n!));
            Assert.Equal("http://localhost", d.BaseUrl);
        });
        Assert.Contains(app.EnqueuedDeliveryJobs(), batch => batch.Order().SequenceEqual(deliveries.Select(d => d.Id).Order()));
    }

    [Fact]
    public async Task The_deliveries_name_whichever_superuser_owns_the_token()
    {
        var invitation = await InvitationAsync();
        var admins = await app.DbAsync(db => db.Groups.SingleAsync(g => g.Name == Enrollment.Infrastructure.Identity.Bootstrap.AdminGroup));
        var other = await app.AddUserAsync(ApiJsonClient.Unique("other-admin-"), null, admins);
        using var client = app.ApiClient(await app.AddTokenAsync(other));
        await PostAsync(invitation, """{"email_addresses": ["by-other@example.com"]}""", HttpStatusCode.NoContent, client);
        Assert.Equal(other.Id, (await app.DeliveryAsync(invitation.Id, "by-other@example.com")).RequestedById);
    }

    [Theory]
    [InlineData("""{"email_addresses": []}""")]
    [InlineData("""{"email_addresses": [], "cc_addresses": ["cc@example.com"]}""")]
    public async Task No_addresses_is_authentiks_error(string body) =>
        AssertJson("""{"error": "No email addresses provided"}""", await PostAsync(await InvitationAsync(), body, HttpStatusCode.BadRequest));

    [Fact]
    public async Task An_invitation_without_a_flow_is_authentiks_error() =>
        AssertJson("""{"error": "Invitation has no associated flow"}""",
            await PostAsync(await InvitationAsync(withFlow: false), """{"email_addresses": ["a@example.com"]}""", HttpStatusCode.BadRequest));

    [Fact]
    public async Task An_expired_invitation_is_refused_the_same_way() =>
        AssertJson("""{"error": "Invitation has expired"}""",
            await PostAsync(await InvitationAsync(expires: DateTime.UtcNow.AddMinutes(-5)), """{"email_addresses": ["a@example.com"]}""", HttpStatusCode.BadRequest));

    [Fact]
    public async Task An_unknown_pk_is_404_before_the_body_is_looked_at()
    {
        using var client = app.ApiClient();
        var body = await client.SendJsonAsync(HttpMethod.Post, SendEmail(Guid.NewGuid()), """{"email_addresses": ["a@example.com"]}""", HttpStatusCode.NotFound);
        AssertJson("""{"detail": "Not found."}""", body);
        await client.SendJsonAsync(HttpMethod.Post, SendEmail(Guid.NewGuid()), "{not json", HttpStatusCode.NotFound);
        var (status, _) = await client.SendJsonAsync(HttpMethod.Post, $"{List}not-a-uuid/send_email/", """{"email_addresses": ["a@example.com"]}""");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { "{}", """{"email_addresses": ["This field is required."]}""" },
        { """{"email_addresses": "a@example.com"}""", """{"email_addresses": ["Expected a list of items but got type \"str\"."]}""" },
        { """{"email_addresses": null}""", """{"email_addresses": ["This field may not be null."]}""" },
        { """{"email_addresses": ["a@example.com", 5, null, ""]}""",
          """{"email_addresses": ["Item 2: expected an email address as a string, got int.", "Item 3: this field may not be null.", "Item 4: this field may not be blank."]}""" },
        { """{"email_addresses": ["ok@example.com", "not-an-address", "Eve <eve@example.com>"], "cc_addresses": ["cc@"], "bcc_addresses": {"a": 1}}""",
          """
          {"email_addresses": ["\"not-an-address\" is not a valid email address.",
                               "\"Eve <eve@example.com>\" is not a valid email address: enter the bare address, like jane@example.com, without a name, quotes or angle brackets."],
           "cc_addresses": ["\"cc@\" is not a valid email address."],
           "bcc_addresses": ["Expected a list of items but got type \"dict\"."]}
          """ },
        { """{"email_addresses": ["a@example.com\r\nBcc: victim@example.com"]}""",
          """{"email_addresses": ["\"a@example.com\\r\\nBcc: victim@example.com\" is not a valid email address: it contains a line break or another control character."]}""" },
        { """{"email_addresses": ["a@example.com"], "cc_addresses": ["b@example.com\nBcc: victim@example.com"]}""",
          """{"cc_addresses": ["\"b@example.com\\nBcc: victim@example.com\" is not a valid email address: it contains a line break or another control character."]}""" },
        { """{"email_addresses": ["eve@example.com\u0000bcc@example.com"]}""",
          """{"email_addresses": ["\"eve@example.com\\u0000bcc@example.com\" is not a valid email address: it contains a line break or another control character."]}""" },
        { """{"email_addresses": ["a@example.com"], "template": "email/missing.html"}""", """{"template": ["There is no email template \"email/missing.html\"."]}""" },
        { """{"email_addresses": ["a@example.com"], "template": "../../appsettings.json"}""",
          """{"template": ["Enter a template name like email/invitation.html (a file name under email/, ending in .html)."]}""" },
        { """{"email_addresses": ["a@example.com"], "template": 3}""", """{"template": ["Not a valid string."]}""" },
        { """{"email_addresses": ["a@example.com"], "template": ""}""", """{"template": ["This field may not be blank."]}""" },
        { "[]", """{"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}""" },
    };

    [Theory, MemberData(nameof(BadBodies))]
    public async Task A_body_that_does_not_fit_is_400_with_messages_per_field(string body, string expected) =>
        AssertJson(expected, await PostAsync(await InvitationAsync(), body, HttpStatusCode.BadRequest));

    [Fact]
    public async Task Malformed_json_is_a_parse_error()
    {
        var json = await PostAsync(await InvitationAsync(), """{"email_addresses": ["a@example.com"]""", HttpStatusCode.BadRequest);
        Assert.StartsWith("JSON parse error - ", (string?)json!["detail"]);
    }

    [Fact]
    public async Task Without_a_valid_token_it_is_401_and_for_a_non_superuser_403_and_nothing_is_queued()
    {
        var invitation = await InvitationAsync();
        const string body = """{"email_addresses": ["a@example.com"]}""";
        foreach (var token in new[] { null, "not-a-real-token" })
        {
            using var anonymous = app.ApiClient(token);
            var json = await PostAsync(invitation, body, HttpStatusCode.Unauthorized, anonymous);
            Assert.Equal("Authentication credentials were not provided or are invalid.", (string?)json!["detail"]);
        }
        var user = await app.AddUserAsync(ApiJsonClient.Unique("sender-"), null, await app.AddGroupAsync(ApiJsonClient.Unique("staff-")));
        using var staff = app.ApiClient(await app.AddTokenAsync(user));
        var forbidden = await PostAsync(invitation, body, HttpStatusCode.Forbidden, staff);
        Assert.Equal("You do not have permission to perform this action.", (string?)forbidden!["detail"]);
    }
}
