using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Invitations;

/// <summary><c>/if/admin/invitations/new/</c>: an invitation with custom attributes written as YAML or JSON and its link, or the form again naming what is wrong.</summary>
[Collection(InvitationsCollection.Name)]
public sealed class CreateInvitationTests(Hosts.Default app)
{
    private const string Url = "/if/admin/invitations/new/";

    [Fact]
    public async Task Admin_creates_an_invitation_from_yaml_and_sees_its_link()
    {
        await app.FlowAsync("inv-yaml", withInvitationStage: true);
        using var client = await app.AdminClientAsync();
        var response = await client.PostFormAsync(Url, ("Input.Name", "engineering-team"), ("Input.Expires", "2099-01-31T17:30"),
            ("Input.FlowSlug", "inv-yaml"), ("Input.SingleUse", "true"),
            ("Input.FixedData", "email: jane@example.com\nattributes:\n  department: Engineering\n  level: 3\n"));
        response.AssertRedirect("/if/admin/invitations/");

        var invitation = await app.DbAsync(db => db.Invitations.Include(i => i.CreatedBy).SingleAsync(i => i.Name == "engineering-team"));
        Assert.True(invitation.SingleUse);
        Assert.Equal(new DateTime(2099, 1, 31, 17, 30, 0, DateTimeKind.Utc), invitation.Expires);
        Assert.Equal("akadmin", invitation.CreatedBy!.UserName);
        Assert.Equal("jane@example.com", (string?)invitation.FixedData["email"]);
        Assert.Equal("Engineering", (string?)invitation.FixedData["attributes"]!["department"]);
        Assert.Equal(3, (long)invitation.FixedData["attributes"]!["level"]!);

        var details = await client.GetPageAsync(response.Headers.Location!.OriginalString);
        Assert.Equal($"http://localhost/if/flow/inv-yaml/?itoken={invitation.Id}", details.QuerySelector("#invitation-link")!.GetAttribute("value"));
        Assert.Empty(details.QuerySelectorAll(".warning"));

        var list = await client.GetPageAsync("/if/admin/invitations/?q=engineering");
        Assert.Equal($"http://localhost/if/flow/inv-yaml/?itoken={invitation.Id}", list.QuerySelector($"#link-{invitation.Id}")!.GetAttribute("value"));
        Assert.Contains("akadmin", list.QuerySelector("#invitation-rows")!.TextContent);
        Assert.True(await app.DbAsync(db => db.Events.AnyAsync(e => e.Action == "invitation_created")));
    }

    [Fact]
    public async Task Json_custom_attributes_are_accepted_too()
    {
        await app.FlowAsync("inv-json", withInvitationStage: true);
        using var client = await app.AdminClientAsync();
        var response = await client.PostFormAsync(Url, ("Input.Name", "json-one"), ("Input.FlowSlug", "inv-json"),
            ("Input.FixedData", "{\"name\": \"Jane\", \"attributes\": {\"tags\": [\"a\", \"b\"]}}"));
        response.AssertRedirect("/if/admin/invitations/");
        var invitation = await app.DbAsync(db => db.Invitations.SingleAsync(i => i.Name == "json-one"));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse("{\"name\":\"Jane\",\"attributes\":{\"tags\":[\"a\",\"b\"]}}"), invitation.FixedData),
            invitation.FixedData.ToJsonString());
        Assert.Null(invitation.Expires);
    }

    [Theory]
    [InlineData("email: a@b.c\nattributes: [unclosed\n", "Line 2 (end of the text): While parsing a flow sequence")]
    [InlineData("{\"email\": \"a@b.c\",\n \"x\": [1, 2}", "Line 2, column ")]
    [InlineData("{\"email\": \"a@b.c\",\n  oops\n}", "Line 2, column 3: ")]
    [InlineData("email: [unclosed", "Line 1 (end of the text): While parsing a flow sequence")]
    [InlineData("- just\n- a list\n", "Line 1: expected an object (key: value pairs), found a list.")]
    [InlineData("plain text", "Line 1: expected an object (key: value pairs), found the single value 'plain text'.")]
    [InlineData("a: 1\na: 2\n", "Line 2, column 1: Duplicate key a")]
    public async Task Malformed_custom_attributes_name_the_line_and_nothing_is_saved(string text, string expected)
    {
        await app.FlowAsync($"inv-bad-{Math.Abs(text.GetHashCode())}", withInvitationStage: true);
        using var client = await app.AdminClientAsync();
        var before = await app.DbAsync(db => db.Invitations.CountAsync());
        var response = await client.PostFormAsync(Url, ("Input.Name", "bad-attrs"), ("Input.FlowSlug", $"inv-bad-{Math.Abs(text.GetHashCode())}"), ("Input.FixedData", text));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var errors = TestClient.Errors(await TestClient.ParseAsync(response));
        Assert.Contains(errors, e => e.StartsWith(expected));
        Assert.Equal(before, await app.DbAsync(db => db.Invitations.CountAsync()));
    }

    [Fact]
    public async Task Exponential_yaml_aliases_are_refused_quickly()
    {
        await app.FlowAsync("inv-laughs", withInvitationStage: true);
        var lol = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
        for (var i = 1; i < 10; i++) lol += $"{(char)('a' + i)}: &{(char)('a' + i)} [*{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}]\n";
        using var client = await app.AdminClientAsync();
        var response = await client.PostFormAsync(Url, ("Input.Name", "laughs"), ("Input.FlowSlug", "inv-laughs"), ("Input.FixedData", lol));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(TestClient.Errors(await TestClient.ParseAsync(response)), e => e.Contains("too large"));
        Assert.False(await app.DbAsync(db => db.Invitations.AnyAsync(i => i.Name == "laughs")));
    }

    [Theory]
    [InlineData("a: ")]
    [InlineData("")]
    public async Task Deeply_nested_custom_attributes_are_refused_without_crashing(string prefix)
    {
        await app.FlowAsync($"inv-deep-{prefix.Length}", withInvitationStage: true);
        using var client = await app.AdminClientAsync();
        var deep = prefix + new string('[', 30_000);
        var response = await client.PostFormAsync(Url, ("Input.Name", "deep"), ("Input.FlowSlug", $"inv-deep-{prefix.Length}"), ("Input.FixedData", deep));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(TestClient.Errors(await TestClient.ParseAsync(response)), e => e.StartsWith("Line 1"));
        Assert.False(await app.DbAsync(db => db.Invitations.AnyAsync(i => i.Name == "deep")));
    }

    [Fact]
    public async Task Missing_fields_bad_dates_and_wrong_flows_are_form_errors()
    {
        await app.FlowAsync("inv-auth", FlowDesignation.Authentication);
        using var client = await app.AdminClientAsync();
        var before = await app.DbAsync(db => db.Invitations.CountAsync());

        var missing = TestClient.Errors(await TestClient.ParseAsync(await client.PostFormAsync(Url, ("Input.Name", ""), ("Input.FlowSlug", ""))));
        Assert.Contains("Enter a name.", missing);
        Assert.Contains("Choose the enrollment flow this invitation is for.", missing);

        var bad = TestClient.Errors(await TestClient.ParseAsync(await client.PostFormAsync(Url,
            ("Input.Name", "has space"), ("Input.FlowSlug", "inv-auth"), ("Input.Expires", "tomorrow"))));
        Assert.Contains("Use only letters, digits, '-' and '_'.", bad);

        var wrong = TestClient.Errors(await TestClient.ParseAsync(await client.PostFormAsync(Url,
            ("Input.Name", "ok"), ("Input.FlowSlug", "inv-auth"), ("Input.Expires", "tomorrow"))));
        Assert.Contains("Choose a flow with the designation “enrollment”.", wrong);
        Assert.Contains("Enter a date and time like 2026-12-31T17:00, or leave it empty.", wrong);

        var past = TestClient.Errors(await TestClient.ParseAsync(await client.PostFormAsync(Url,
            ("Input.Name", "ok"), ("Input.FlowSlug", "no-such-flow"), ("Input.Expires", "2001-01-01T00:00"))));
        Assert.Contains("That flow does not exist.", past);
        Assert.Contains("This date is in the past; the invitation would be expired at once.", past);

        Assert.Equal(before, await app.DbAsync(db => db.Invitations.CountAsync()));
    }
}
