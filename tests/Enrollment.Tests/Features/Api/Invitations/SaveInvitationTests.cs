using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Enrollment.Tests.Kit;
using static Enrollment.Tests.Features.Api.Invitations.InvitationsApiClient;

namespace Enrollment.Tests.Features.Api.Invitations;

/// <summary><c>POST</c>, <c>PUT</c> and <c>PATCH</c> on <c>/api/v3/stages/invitation/invitations/</c>: what is written, and every body refused.</summary>
[Collection(WriteInvitationsApiCollection.Name)]
public sealed class SaveInvitationTests(Hosts.Default app)
{
    public static TheoryData<string, string> InvalidBodies => new()
    {
        { "{}", """{"name":["This field is required."]}""" },
        { """{"name":null}""", """{"name":["This field may not be null."]}""" },
        { """{"name":"  "}""", """{"name":["This field may not be blank."]}""" },
        { """{"name":"has space"}""", """{"name":["Use only letters, digits, '-' and '_'."]}""" },
        { """{"name":7}""", """{"name":["Not a valid string."]}""" },
        { """{"name":"ok","fixed_data":[1,2]}""", """{"fixed_data":["Expected a JSON object (key: value pairs), found a list."]}""" },
        { """{"name":"ok","fixed_data":"{}"}""", """{"fixed_data":["Expected a JSON object (key: value pairs), found a single value."]}""" },
        { """{"name":"ok","fixed_data":null}""", """{"fixed_data":["This field may not be null."]}""" },
        { """{"name":"ok","flow":"00000000-0000-0000-0000-000000000001"}""", """{"flow":["Invalid pk \"00000000-0000-0000-0000-000000000001\" - object does not exist."]}""" },
        { """{"name":"ok","flow":"my-flow"}""", """{"flow":["Invalid pk \"my-flow\" - object does not exist."]}""" },
        { """{"name":"ok","flow":5}""", """{"flow":["Incorrect type. Expected pk value, received a number."]}""" },
        { """{"name":"ok","single_use":"yes"}""", """{"single_use":["Must be a valid boolean."]}""" },
        { """{"name":"bad name","expires":"soon","single_use":null}""", """{"name":["Use only letters, digits, '-' and '_'."],"expires":["Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]]Z or YYYY-MM-DDThh:mm[:ss[.uuuuuu]]\u002BHH:MM (a time zone is required)."],"single_use":["This field may not be null."]}""" },
    };

    [Fact]
    public async Task Creates_an_invitation_as_the_tokens_user_and_records_it()
    {
        var p = ApiJsonClient.Unique("new");
        var flow = await app.FlowAsync($"{p}-flow");
        var owner = await app.AddUserAsync($"{p}-owner", u => u.Name = "Owner", await app.AddGroupAsync($"{p}-admins", isSuperuser: true));
        using var client = app.ApiClient(await app.AddTokenAsync(owner));

        var body = await client.SendJsonAsync(HttpMethod.Post, List,
            $$$"""{"name":"{{{p}}}-inv","expires":"2031-01-01T14:00:00+02:00","fixed_data":{"email":"a@example.com","attributes":{"x":1}},"single_use":true,"flow":"{{{flow.Id}}}","pk":"{{{Guid.Empty}}}","created_by":{"pk":1}}""",
            HttpStatusCode.Created);

        Assert.Equal(["pk", "name", "expires", "fixed_data", "created_by", "single_use", "flow", "flow_obj", "groups", "email", "email_domains", "max_uses", "uses", "last_used", "opens", "status"], body.Keys());
        var pk = Guid.Parse((string)body["pk"]!);
        Assert.NotEqual(Guid.Empty, pk); // pk is read-only
        Assert.Equal("2031-01-01T12:00:00Z", (string?)body["expires"]);
        Assert.Equal(owner.Id, (int)body["created_by"]!["pk"]!);
        Assert.Equal($"{p}-owner", (string?)body["created_by"]!["username"]);
        Assert.Equal("Owner", (string?)body["created_by"]!["name"]);
        Assert.Equal($"{p}-flow", (string?)body["flow_obj"]!["slug"]);

        var saved = await app.FindInvitationAsync(pk);
        Assert.NotNull(saved);
        Assert.Equal($"{p}-inv", saved.Name);
        Assert.Equal(Jan1, saved.Expires);
        Assert.Equal(flow.Id, saved.FlowId);
        Assert.Equal(owner.Id, saved.CreatedById);
        Assert.True(saved.SingleUse);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"email":"a@example.com","attributes":{"x":1}}"""), saved.FixedData));

        var created = Assert.Single(await app.EventsAboutAsync("invitation_created", pk));
        Assert.Equal($"{p}-owner", (string?)created.User["username"]);
        Assert.Equal($"{p}-flow", (string?)created.Context["flow"]);
        Assert.Equal($"{p}-inv", (string?)created.Context["invitation"]!["name"]);
    }

    [Fact]
    public async Task Creates_with_defaults_when_only_the_name_is_given()
    {
        var name = ApiJsonClient.Unique("min");
        using var client = app.ApiClient();
        var body = await client.SendJsonAsync(HttpMethod.Post, List, $$"""{"name":"{{name}}"}""", HttpStatusCode.Created);
        Assert.Null(body["expires"]);
        Assert.Null(body["flow"]);
        Assert.Null(body["flow_obj"]);
        Assert.False((bool)body["single_use"]!);
        Assert.Equal("{}", body["fixed_data"]!.ToJsonString());
        Assert.Equal("akadmin", (string?)body["created_by"]!["username"]);
        var saved = await app.FindInvitationAsync(Guid.Parse((string)body["pk"]!));
        Assert.Equal(name, saved!.Name);
        Assert.Null(saved.Expires);
        Assert.Null(saved.FlowId);
    }

    [Theory, MemberData(nameof(InvalidBodies))]
    public async Task An_invalid_body_is_a_400_per_field_and_creates_nothing(string body, string expected)
    {
        using var client = app.ApiClient();
        var before = await app.DbAsync(db => Task.FromResult(db.Invitations.Count()));
        var response = await client.SendJsonAsync(HttpMethod.Post, List, body, HttpStatusCode.BadRequest);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), response), response.ToJsonString());
        Assert.Equal(before, await app.DbAsync(db => Task.FromResult(db.Invitations.Count())));
    }

    [Theory]
    [InlineData("2031-01-01T12:00:00")] // no time zone
    [InlineData("2031-01-01")]
    [InlineData("01/01/2031 12:00Z")]
    [InlineData("2031-02-30T12:00:00Z")]
    public async Task An_expiry_that_is_not_iso_8601_with_a_time_zone_is_a_400(string expires)
    {
        using var client = app.ApiClient();
        var response = await client.SendJsonAsync(HttpMethod.Post, List, $$"""{"name":"ok","expires":"{{expires}}"}""", HttpStatusCode.BadRequest);
        Assert.Equal(["expires"], response.Keys());
        Assert.StartsWith("Datetime has wrong format.", (string?)response["expires"]![0]);
    }

    [Theory]
    [InlineData("{\"name\": ")]
    [InlineData("{name: 'x'}")]
    [InlineData("{\"name\":\"a\",\"name\":\"b\"}")]
    public async Task Malformed_json_is_a_400_with_a_clear_message(string body)
    {
        using var client = app.ApiClient();
        var response = await client.SendJsonAsync(HttpMethod.Post, List, body, HttpStatusCode.BadRequest);
        Assert.Equal(["detail"], response.Keys());
        Assert.StartsWith("JSON parse error - ", (string?)response["detail"]);
    }

    [Theory]
    [InlineData("""{"name":"ok","\ud800":1}""")] // a lone surrogate in a member name
    [InlineData("""{"name":"ok\udc00"}""")]
    [InlineData("""{"name":"ok","fixed_data":{"note":"\ud83d"}}""")] // half of an emoji
    [InlineData("""{"name":"ok","unknown":["\udc00\ud800"]}""")]
    public async Task An_escaped_lone_surrogate_is_a_json_parse_error_and_creates_nothing(string body)
    {
        using var client = app.ApiClient();
        var before = await app.DbAsync(db => Task.FromResult(db.Invitations.Count()));
        var response = await client.SendJsonAsync(HttpMethod.Post, List, body, HttpStatusCode.BadRequest);
        Assert.Equal(["detail"], response.Keys());
        Assert.StartsWith("JSON parse error - ", (string?)response["detail"]);
        Assert.Equal(before, await app.DbAsync(db => Task.FromResult(db.Invitations.Count())));
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_are_a_json_parse_error_not_replacement_characters()
    {
        var invitation = await app.AddInvitationAsync(ApiJsonClient.Unique("latin1"), fixedData: new JsonObject { ["a"] = 1 });
        using var client = app.ApiClient();
        var before = await app.DbAsync(db => Task.FromResult(db.Invitations.Count()));
        byte[] body = [.. Encoding.UTF8.GetBytes($$"""{"name":"{{ApiJsonClient.Unique("latin1-new")}}","fixed_data":{"note":"Jos"""), 0xE9, .. Encoding.UTF8.GetBytes("\"}}")];
        foreach (var (method, url) in new[] { (HttpMethod.Post, List), (HttpMethod.Patch, $"{List}{invitation.Id}/") })
        {
            var response = await client.SendAsync(new HttpRequestMessage(method, url) { Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } } });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.StartsWith("JSON parse error - ", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]);
        }
        Assert.Equal("""{"a":1}""", (await app.FindInvitationAsync(invitation.Id))!.FixedData.ToJsonString());
        Assert.Equal(before, await app.DbAsync(db => Task.FromResult(db.Invitations.Count())));
    }

    [Theory]
    [InlineData("""{"note":"a\u0000b"}""")]
    [InlineData("""{"a\u0000":1}""")]
    [InlineData("""{"attributes":{"list":["\u0000"]}}""")]
    public async Task A_nul_character_in_fixed_data_is_a_400_on_the_field_and_changes_nothing(string fixedData)
    {
        var invitation = await app.AddInvitationAsync(ApiJsonClient.Unique("nul"), fixedData: new JsonObject { ["a"] = 1 });
        using var client = app.ApiClient();
        var created = await client.SendJsonAsync(HttpMethod.Post, List, $$"""{"name":"{{ApiJsonClient.Unique("nul-new")}}","fixed_data":{{fixedData}}}""", HttpStatusCode.BadRequest);
        Assert.Equal("""{"fixed_data":["Null characters are not allowed."]}""", created.ToJsonString());
        var patched = await client.SendJsonAsync(HttpMethod.Patch, $"{List}{invitation.Id}/", $$"""{"fixed_data":{{fixedData}}}""", HttpStatusCode.BadRequest);
        Assert.Equal("""{"fixed_data":["Null characters are not allowed."]}""", patched.ToJsonString());
        Assert.Equal("""{"a":1}""", (await app.FindInvitationAsync(invitation.Id))!.FixedData.ToJsonString());
    }

    [Fact]
    public async Task A_body_over_a_megabyte_is_a_413_and_creates_nothing()
    {
        var name = ApiJsonClient.Unique("big");
        using var client = app.ApiClient();
        var body = $$$"""{"name":"{{{name}}}","fixed_data":{"pad":"{{{new string('x', 1024 * 1024)}}}"}}""";
        var response = await client.SendJsonAsync(HttpMethod.Post, List, body, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("""{"detail":"Request body too large (at most 1 MB)."}""", response.ToJsonString());
        Assert.Equal(0, await app.DbAsync(db => Task.FromResult(db.Invitations.Count(i => i.Name == name))));
    }

    [Fact]
    public async Task Fixed_data_over_64_kb_is_a_400()
    {
        using var client = app.ApiClient();
        var body = $$$"""{"name":"ok","fixed_data":{"pad":"{{{new string('x', 70_000)}}}"}}""";
        var response = await client.SendJsonAsync(HttpMethod.Post, List, body, HttpStatusCode.BadRequest);
        Assert.Equal("""{"fixed_data":["Custom attributes may be at most 64 KB."]}""", response.ToJsonString());
    }

    [Theory]
    [InlineData("[1]", "list")]
    [InlineData("\"name\"", "str")]
    [InlineData("null", "null")]
    public async Task A_body_that_is_not_an_object_is_a_400(string body, string got)
    {
        using var client = app.ApiClient();
        var response = await client.SendJsonAsync(HttpMethod.Post, List, body, HttpStatusCode.BadRequest);
        Assert.Equal($$"""{"non_field_errors":["Invalid data. Expected a dictionary, but got {{got}}."]}""", response.ToJsonString());
    }

    [Fact]
    public async Task Put_requires_the_name_and_changes_what_it_is_given()
    {
        var p = ApiJsonClient.Unique("put");
        var flow = await app.FlowAsync($"{p}-flow");
        var invitation = await app.AddInvitationAsync($"{p}-old", Jan1, flow, singleUse: true, fixedData: new JsonObject { ["a"] = 1 });
        using var client = app.ApiClient();

        var missing = await client.SendJsonAsync(HttpMethod.Put, $"{List}{invitation.Id}/", """{"single_use":false}""", HttpStatusCode.BadRequest);
        Assert.Equal("""{"name":["This field is required."]}""", missing.ToJsonString());
        Assert.True((await app.FindInvitationAsync(invitation.Id))!.SingleUse);

        var body = await client.SendJsonAsync(HttpMethod.Put, $"{List}{invitation.Id}/",
            """{"name":"renamed","expires":null,"fixed_data":{"b":2},"single_use":false,"flow":null}""", HttpStatusCode.OK);
        Assert.Equal("renamed", (string?)body["name"]);
        Assert.Null(body["flow_obj"]);
        var saved = (await app.FindInvitationAsync(invitation.Id))!;
        Assert.Equal("renamed", saved.Name);
        Assert.Null(saved.Expires);
        Assert.Null(saved.FlowId);
        Assert.False(saved.SingleUse);
        Assert.Equal("""{"b":2}""", saved.FixedData.ToJsonString());
        Assert.Single(await app.EventsAboutAsync("model_updated", invitation.Id));
    }

    [Fact]
    public async Task Patch_changes_only_the_fields_given()
    {
        var p = ApiJsonClient.Unique("patch");
        var flow = await app.FlowAsync($"{p}-flow");
        var other = await app.FlowAsync($"{p}-other");
        var invitation = await app.AddInvitationAsync($"{p}-inv", Jan1, flow, await app.AdminAsync(), fixedData: new JsonObject { ["a"] = 1 });
        using var client = app.ApiClient();

        var body = await client.SendJsonAsync(HttpMethod.Patch, $"{List}{invitation.Id}/", $$"""{"flow":"{{other.Id}}"}""", HttpStatusCode.OK);
        Assert.Equal($"{p}-other", (string?)body["flow_obj"]!["slug"]);
        Assert.Equal($"{p}-inv", (string?)body["name"]);
        var saved = (await app.FindInvitationAsync(invitation.Id))!;
        Assert.Equal(other.Id, saved.FlowId);
        Assert.Equal(Jan1, saved.Expires);
        Assert.Equal("""{"a":1}""", saved.FixedData.ToJsonString());

        await client.SendJsonAsync(HttpMethod.Patch, $"{List}{invitation.Id}/", """{"expires":"2032-06-01T08:30:00.123456Z"}""", HttpStatusCode.OK);
        Assert.Equal(new DateTime(2032, 6, 1, 8, 30, 0, DateTimeKind.Utc).AddTicks(1_234_560), (await app.FindInvitationAsync(invitation.Id))!.Expires);

        var bad = await client.SendJsonAsync(HttpMethod.Patch, $"{List}{invitation.Id}/", """{"fixed_data":[]}""", HttpStatusCode.BadRequest);
        Assert.Equal(["fixed_data"], bad.Keys());
        Assert.Equal("""{"a":1}""", (await app.FindInvitationAsync(invitation.Id))!.FixedData.ToJsonString());

        var unknownFlow = Guid.NewGuid();
        var noFlow = await client.SendJsonAsync(HttpMethod.Patch, $"{List}{invitation.Id}/", $$"""{"flow":"{{unknownFlow}}"}""", HttpStatusCode.BadRequest);
        Assert.Equal($$"""{"flow":["Invalid pk \u0022{{unknownFlow}}\u0022 - object does not exist."]}""", noFlow.ToJsonString());
        Assert.Equal(other.Id, (await app.FindInvitationAsync(invitation.Id))!.FlowId);
        Assert.Equal(2, (await app.EventsAboutAsync("model_updated", invitation.Id)).Count);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Writing_an_unknown_invitation_is_a_404(string method)
    {
        using var client = app.ApiClient();
        var before = await app.DbAsync(db => Task.FromResult(db.Invitations.Count()));
        var body = await client.SendJsonAsync(new HttpMethod(method), $"{List}{Guid.NewGuid()}/", """{"name":"x"}""", HttpStatusCode.NotFound);
        Assert.Equal("""{"detail":"Not found."}""", body.ToJsonString());
        Assert.Equal(before, await app.DbAsync(db => Task.FromResult(db.Invitations.Count())));
    }
}
