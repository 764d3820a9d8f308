using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Infrastructure.Blueprints;

/// <summary>Tags in real imports: in identifiers, in attrs, in lists of references, with the database behind !Find.</summary>
public sealed class BlueprintTagImportTests(Hosts.WithBlueprintRoot app) : IClassFixture<Hosts.WithBlueprintRoot>
{
    [Fact]
    public async Task KeyOf_inside_a_list_of_fields_links_the_prompts_of_earlier_entries()
    {
        await app.ImportOkAsync("""
            version: 1
            entries:
            - {model: authentik_stages_prompt.prompt, id: a, identifiers: {name: keyof-a}, attrs: {field_key: a, label: A, type: text}}
            - {model: authentik_stages_prompt.prompt, id: b, identifiers: {name: keyof-b}, attrs: {field_key: b, label: B, type: email}}
            - model: authentik_stages_prompt.promptstage
              identifiers: {name: keyof-stage}
              attrs:
                fields: [!KeyOf a, !KeyOf b]
            """);

        var fields = await app.DbAsync(db => db.Set<PromptStage>().Where(s => s.Name == "keyof-stage").SelectMany(s => s.Fields.Select(f => f.Name)).ToListAsync());
        Assert.Equal(["keyof-a", "keyof-b"], fields.Order());
    }

    [Fact]
    public async Task Find_gives_the_pk_of_an_existing_object_or_null()
    {
        var flow = await app.FlowAsync("find-target");

        await app.ImportOkAsync("""
            version: 1
            entries:
            - model: authentik_stages_invitation.invitation
              identifiers: {name: find-hit}
              attrs: {flow: !Find [authentik_flows.flow, [slug, find-target]]}
            - model: authentik_stages_invitation.invitation
              identifiers: {name: find-miss}
              attrs: {flow: !Find [authentik_flows.flow, [slug, no-such-flow], [designation, enrollment]]}
            """);

        var flows = await app.DbAsync(db => db.Invitations.Where(i => i.Name.StartsWith("find-")).ToDictionaryAsync(i => i.Name, i => i.FlowId));
        Assert.Equal(flow.Id, flows["find-hit"]);
        Assert.Null(flows["find-miss"]);
    }

    [Fact]
    public async Task Find_sees_objects_created_by_earlier_entries_of_the_same_import()
    {
        await app.ImportOkAsync(Samples.Flow("find-same") + "\n" + """
            - model: authentik_stages_invitation.invitation
              identifiers: {name: find-same-invite}
              attrs: {flow: !Find [authentik_flows.flow, [slug, find-same]]}
            """);

        var flowId = await app.DbAsync(db => db.Flows.Where(f => f.Slug == "find-same").Select(f => f.Id).SingleAsync());
        Assert.Equal(flowId, await app.DbAsync(db => db.Invitations.Where(i => i.Name == "find-same-invite").Select(i => i.FlowId).SingleAsync()));
    }

    [Fact]
    public async Task Format_inside_If_inside_identifiers_chooses_the_objects_identity()
    {
        var yaml = """
            version: 1
            context:
              production: false
              tenant: acme
            entries:
            - model: authentik_flows.flow
              identifiers:
                slug: !If [!Context production, !Format ['%s-enroll', !Context tenant], !Format ['%s-enroll-test', !Context tenant]]
              attrs:
                name: !Format ['Enrollment for %s', !Context tenant]
                title: t
                designation: enrollment
            """;

        await app.ImportOkAsync(yaml);
        await app.ImportOkAsync(yaml, new Dictionary<string, object?> { ["production"] = true, ["tenant"] = "globex" });

        var slugs = await app.DbAsync(db => db.Flows.Where(f => f.Slug.Contains("-enroll")).Select(f => f.Slug + "|" + f.Name).ToListAsync());
        Assert.Equal(["acme-enroll-test|Enrollment for acme", "globex-enroll|Enrollment for globex"], slugs.Order());
    }

    [Fact]
    public async Task Enumerate_builds_the_prompts_of_a_prompt_stage()
    {
        await app.ImportOkAsync("""
            version: 1
            context:
              keys: [username, email, name]
            entries:
            - model: authentik_stages_prompt.prompt
              identifiers: {name: enum-username}
              attrs: {field_key: username, label: Username, type: username}
            - model: authentik_stages_prompt.prompt
              identifiers: {name: enum-email}
              attrs: {field_key: email, label: Email, type: email}
            - model: authentik_stages_prompt.prompt
              identifiers: {name: enum-name}
              attrs: {field_key: name, label: Name, type: text}
            - model: authentik_stages_prompt.promptstage
              identifiers: {name: enum-stage}
              attrs:
                fields: !Enumerate [!Context keys, SEQ, !Find [authentik_stages_prompt.prompt, [name, !Format ['enum-%s', !Value 0]]]]
            """);

        var fields = await app.DbAsync(db => db.Set<PromptStage>().Where(s => s.Name == "enum-stage").SelectMany(s => s.Fields.Select(f => f.FieldKey)).ToListAsync());
        Assert.Equal(["email", "name", "username"], fields.Order());
    }

    [Fact]
    public async Task Enumerate_with_MAP_builds_fixed_data_and_ParseJSON_and_AtIndex_feed_attributes()
    {
        await app.ImportOkAsync("""
            version: 1
            context:
              defaults: {department: Engineering, team: Platform}
            entries:
            - model: authentik_stages_invitation.invitation
              identifiers: {name: enum-map}
              attrs:
                fixed_data: !Enumerate [!Context defaults, MAP, [!Format ['attributes.%s', !Index 0], !Value 0]]
            - model: authentik_core.group
              identifiers: {name: parsejson-group}
              attrs:
                attributes: !ParseJSON '{"quota": 5, "tags": ["a", "b"]}'
                is_superuser: !AtIndex [[false, true], 0]
            """);

        var fixedData = await app.DbAsync(db => db.Invitations.Where(i => i.Name == "enum-map").Select(i => i.FixedData).SingleAsync());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"attributes.department":"Engineering","attributes.team":"Platform"}"""), fixedData), fixedData.ToJsonString());
        var attributes = await app.DbAsync(db => db.Groups.Where(g => g.Name == "parsejson-group").Select(g => g.Attributes).SingleAsync());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"quota":5,"tags":["a","b"]}"""), attributes), attributes.ToJsonString());
    }

    [Fact]
    public async Task Env_and_File_feed_attributes()
    {
        Environment.SetEnvironmentVariable("ENROLLMENT_BLUEPRINT_EXPRESSION_NAME", "env-file-policy");
        await File.WriteAllTextAsync(Path.Combine(app.BlueprintRoot, "policy.py"), "return True\n");

        await app.ImportOkAsync("""
            version: 1
            entries:
            - model: authentik_policies_expression.expressionpolicy
              identifiers: {name: !Env ENROLLMENT_BLUEPRINT_EXPRESSION_NAME}
              attrs: {expression: !File policy.py}
            """);

        Assert.Equal("return True\n", await app.DbAsync(db => db.Policies.OfType<ExpressionPolicy>().Where(p => p.Name == "env-file-policy").Select(p => p.Expression).SingleAsync()));
    }

    [Fact]
    public async Task The_given_context_overrides_the_files_defaults()
    {
        var yaml = """
            version: 1
            context: {title: From the file}
            entries:
            - model: authentik_flows.flow
              identifiers: {slug: !Context slug}
              attrs: {name: n, title: !Context title, designation: enrollment}
            """;

        await app.ImportOkAsync(yaml, new Dictionary<string, object?> { ["slug"] = "ctx-default" });
        await app.ImportOkAsync(yaml, new Dictionary<string, object?> { ["slug"] = "ctx-override", ["title"] = "From the caller" });

        var titles = await app.DbAsync(db => db.Flows.Where(f => f.Slug.StartsWith("ctx-")).ToDictionaryAsync(f => f.Slug, f => f.Title));
        Assert.Equal("From the file", titles["ctx-default"]);
        Assert.Equal("From the caller", titles["ctx-override"]);
    }
}
