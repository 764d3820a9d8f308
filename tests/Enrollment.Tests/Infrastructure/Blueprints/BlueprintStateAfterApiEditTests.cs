using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Tests.Features.Api;
using Enrollment.Tests.Features.Api.Invitations;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Infrastructure.Blueprints;

/// <summary>
/// Entry states against an object an admin edited through the API between two imports of the same file:
/// <c>present</c> puts the file's attributes back, <c>created</c> leaves the edit alone, <c>absent</c> deletes,
/// <c>must_created</c> fails when the object exists (and nothing of the import is kept).
/// </summary>
public sealed class BlueprintStateAfterApiEditTests(Hosts.WithBlueprintRoot app) : IClassFixture<Hosts.WithBlueprintRoot>
{
    private const string Invitations = "/api/v3/stages/invitation/invitations/";

    private static string Blueprint(string state, string name, string flowSlug) => $$"""
        version: 1
        entries:
        - model: authentik_flows.flow
          id: flow
          identifiers: {slug: {{flowSlug}}}
          attrs: {name: {{flowSlug}}, title: x, designation: enrollment}
        - model: authentik_stages_invitation.invitation
          state: {{state}}
          identifiers: {name: {{name}}}
          attrs:
            flow: !KeyOf flow
            single_use: true
            fixed_data: {department: from-file}
        """;

    private async Task<Guid> PkAsync(string name) => await app.DbAsync(db => db.Invitations.Where(i => i.Name == name).Select(i => i.Id).SingleAsync());

    private async Task<JsonNode> PatchAsync(Guid pk)
    {
        using var api = app.ApiClient();
        return await api.SendJsonAsync(HttpMethod.Patch, $"{Invitations}{pk}/",
            """{"single_use": false, "fixed_data": {"department": "from-api"}}""", HttpStatusCode.OK);
    }

    private async Task<(bool SingleUse, string? Department)> StoredAsync(Guid pk)
    {
        using var api = app.ApiClient();
        var json = await api.GetJsonAsync($"{Invitations}{pk}/");
        return ((bool)json["single_use"]!, (string?)json["fixed_data"]!["department"]);
    }

    [Fact]
    public async Task Present_puts_the_files_attributes_back_over_an_edit_made_through_the_api()
    {
        var name = BlueprintKit.Unique("present");
        var yaml = Blueprint("present", name, name + "-flow");
        await app.ImportOkAsync(yaml);
        var pk = await PkAsync(name);
        await PatchAsync(pk);
        Assert.Equal((false, "from-api"), await StoredAsync(pk));

        var result = await app.ImportOkAsync(yaml);

        Assert.Equal((true, "from-file"), await StoredAsync(pk));
        Assert.Contains(result.Logs, l => l.Message == $"updated authentik_stages_invitation.invitation name={name}");
    }

    [Fact]
    public async Task Created_leaves_an_object_edited_through_the_api_alone()
    {
        var name = BlueprintKit.Unique("created");
        var yaml = Blueprint("created", name, name + "-flow");
        await app.ImportOkAsync(yaml);
        var pk = await PkAsync(name);
        await PatchAsync(pk);

        var result = await app.ImportOkAsync(yaml);

        Assert.Equal((false, "from-api"), await StoredAsync(pk));
        Assert.Contains(result.Logs, l => l.Message.StartsWith($"unchanged: authentik_stages_invitation.invitation name={name} exists (state created)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Absent_deletes_an_object_created_and_edited_through_the_api()
    {
        var name = BlueprintKit.Unique("absent");
        using var api = app.ApiClient();
        var created = await api.SendJsonAsync(HttpMethod.Post, Invitations, $$"""{"name": "{{name}}"}""", HttpStatusCode.Created);
        var pk = Guid.Parse((string)created["pk"]!);
        await PatchAsync(pk);

        var result = await app.ImportOkAsync(Blueprint("absent", name, name + "-flow"));

        await api.GetJsonAsync($"{Invitations}{pk}/", HttpStatusCode.NotFound);
        Assert.Contains(result.Logs, l => l.Message == $"deleted authentik_stages_invitation.invitation name={name}");
        // Applied again, there is nothing left to delete.
        var again = await app.ImportOkAsync(Blueprint("absent", name, name + "-flow"));
        Assert.Contains(again.Logs, l => l.Message.StartsWith("skipped", StringComparison.Ordinal) && l.Message.EndsWith("does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Must_created_fails_when_the_object_was_created_through_the_api_and_keeps_nothing()
    {
        var name = BlueprintKit.Unique("must");
        using var api = app.ApiClient();
        var created = await api.SendJsonAsync(HttpMethod.Post, Invitations, $$"""{"name": "{{name}}"}""", HttpStatusCode.Created);
        var pk = Guid.Parse((string)created["pk"]!);
        await PatchAsync(pk);

        var result = await app.ImportAsync(Blueprint("must_created", name, name + "-flow"));

        Assert.False(result.Success);
        Assert.Contains(result.Errors, l => l is { Entry: 1, Field: "identifiers" } && l.Message.Contains("already exists (state must_created)", StringComparison.Ordinal));
        Assert.Equal((false, "from-api"), await StoredAsync(pk));
        Assert.False(await app.DbAsync(db => db.Flows.AnyAsync(f => f.Slug == name + "-flow")));
    }
}
