using Enrollment.Infrastructure.Blueprints;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Infrastructure.Blueprints;

/// <summary>
/// The corners of the blueprint format that authentik's own test-suite covers: model names in any case, entries as a
/// mapping of lists (and lists given by <c>!Enumerate</c>), nested <c>!Enumerate</c>, context values that are tags,
/// YAML merge keys and aliases.
/// </summary>
public sealed class BlueprintEdgeCaseTests(Hosts.WithBlueprintRoot app) : IClassFixture<Hosts.WithBlueprintRoot>
{
    private Task<string?> FlowNameAsync(string slug) => app.DbAsync(db => db.Flows.Where(f => f.Slug == slug).Select(f => f.Name).SingleOrDefaultAsync());
    private Task<string?> FlowTitleAsync(string slug) => app.DbAsync(db => db.Flows.Where(f => f.Slug == slug).Select(f => f.Title).SingleOrDefaultAsync());
    private Task<bool> GroupExistsAsync(string name) => app.DbAsync(db => db.Groups.AnyAsync(g => g.Name == name));

    [Fact]
    public async Task Model_names_are_case_insensitive_in_their_model_part_as_Djangos_get_model()
    {
        var slug = BlueprintKit.Unique("case");
        var result = await app.ImportCleanAsync($"""
            version: 1
            entries:
            - model: authentik_flows.Flow
              id: flow
              identifiers: {"{"}slug: {slug}{"}"}
              attrs: {"{"}name: Cased, title: Cased, designation: enrollment{"}"}
            - model: authentik_core.Group
              identifiers: {"{"}name: {slug}-group{"}"}
              attrs:
                attributes: {"{"}flow: !Find [authentik_flows.FLOW, [slug, {slug}]]{"}"}
            """);

        Assert.Equal("Cased", await FlowNameAsync(slug));
        var group = await app.DbAsync(db => db.Groups.AsNoTracking().SingleAsync(g => g.Name == slug + "-group"));
        Assert.False(string.IsNullOrEmpty(group.Attributes["flow"]?.ToString()));
        Assert.Contains(result.Logs, l => l.Message.StartsWith("created authentik_flows.Flow", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_app_label_is_not_case_insensitive()
    {
        var result = await app.ImportAsync("""
            version: 1
            entries:
            - model: Authentik_flows.flow
              identifiers: {slug: wrong-label}
            """);

        Assert.False(result.Success);
        Assert.Contains(result.Errors, l => l.Field == "model" && l.Message.StartsWith("Unknown model 'Authentik_flows.flow'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Entries_as_a_mapping_of_lists_are_applied_section_by_section_and_KeyOf_crosses_sections()
    {
        var slug = BlueprintKit.Unique("sections");
        var result = await app.ImportCleanAsync($$"""
            version: 1
            entries:
              flows:
              - model: authentik_flows.flow
                id: flow
                identifiers: {slug: {{slug}}}
                attrs: {name: Sectioned, title: Sectioned, designation: enrollment}
              nothing:
              invitations:
              - model: authentik_stages_invitation.invitation
                identifiers: {name: {{slug}}-a}
                attrs: {flow: !KeyOf flow}
              - model: authentik_stages_invitation.invitation
                identifiers: {name: {{slug}}-b}
                attrs: {flow: !KeyOf flow}
            """);

        var flows = await app.DbAsync(db => db.Invitations.Where(i => i.Name.StartsWith(slug)).OrderBy(i => i.Name).Select(i => i.Flow!.Slug).ToListAsync());
        Assert.Equal([slug, slug], flows);
        Assert.Equal([0, 1, 2], result.Logs.Where(l => l.Entry is not null).Select(l => l.Entry!.Value));
    }

    [Fact]
    public async Task A_section_may_be_a_list_given_by_Enumerate_and_so_may_an_item_of_the_entries_list()
    {
        var prefix = BlueprintKit.Unique("enum");
        await app.ImportCleanAsync($$"""
            version: 1
            context:
              teams: [red, blue]
            entries:
              groups: !Enumerate
              - !Context teams
              - SEQ
              - model: authentik_core.group
                identifiers: {name: !Format ['{{prefix}}-%s', !Value 0]}
                attrs:
                  attributes: {position: !Index 0}
              more:
              - model: authentik_core.group
                identifiers: {name: {{prefix}}-plain}
              - !Enumerate
                - [green]
                - SEQ
                - model: authentik_core.group
                  identifiers: {name: !Format ['{{prefix}}-%s', !Value 0]}
            """);

        var groups = await app.DbAsync(db => db.Groups.AsNoTracking().Where(g => g.Name.StartsWith(prefix)).OrderBy(g => g.Name).ToListAsync());
        Assert.Equal([$"{prefix}-blue", $"{prefix}-green", $"{prefix}-plain", $"{prefix}-red"], groups.Select(g => g.Name));
        Assert.Equal(1, (int)groups[0].Attributes["position"]!);
    }

    [Fact]
    public async Task A_tag_that_gives_something_other_than_entries_is_an_error_naming_the_tag()
    {
        var result = await app.ImportAsync("""
            version: 1
            entries:
              groups: !Enumerate [[a, b], SEQ, !Value 0]
            """);

        Assert.False(result.Success);
        Assert.Contains(result.Errors, l => l.Message.Contains("!Enumerate here must give a list of entries", StringComparison.Ordinal) && l.Line == 3);
    }

    [Fact]
    public async Task A_section_that_is_not_a_list_is_an_error()
    {
        var result = await app.ImportAsync("""
            version: 1
            entries:
              groups: {model: authentik_core.group}
            """);

        Assert.False(result.Success);
        Assert.Contains(result.Errors, l => l.Message == "'entries.groups' must be a list of entries." && l.Field == "entries");
    }

    [Fact]
    public async Task Nested_Enumerate_reaches_each_enclosing_loop_by_depth()
    {
        var prefix = BlueprintKit.Unique("nest");
        await app.ImportCleanAsync($$"""
            version: 1
            entries:
              groups: !Enumerate
              - {east: [a, b], west: [c]}
              - SEQ
              - model: authentik_core.group
                identifiers: {name: !Format ['{{prefix}}-%s', !Index 0]}
                attrs:
                  attributes:
                    members: !Enumerate [!Value 0, SEQ, !Enumerate [[1, 2], SEQ, !Format ['%s/%s%s#%s', !Index 2, !Value 1, !Value 0, !Index 1]]]
            """);

        var east = await app.DbAsync(db => db.Groups.AsNoTracking().SingleAsync(g => g.Name == prefix + "-east"));
        Assert.Equal("""[["east/a1#0","east/a2#0"],["east/b1#1","east/b2#1"]]""", east.Attributes["members"]!.ToJsonString());
        var west = await app.DbAsync(db => db.Groups.AsNoTracking().SingleAsync(g => g.Name == prefix + "-west"));
        Assert.Equal("""[["west/c1#0","west/c2#0"]]""", west.Attributes["members"]!.ToJsonString());
    }

    [Fact]
    public async Task Index_deeper_than_the_loops_around_it_is_an_error()
    {
        var result = await app.ImportAsync("""
            version: 1
            entries:
            - model: authentik_core.group
              identifiers: {name: too-deep}
              attrs: {attributes: {x: !Enumerate [[1], SEQ, !Index 1]}}
            """);

        Assert.False(result.Success);
        Assert.Contains(result.Errors, l => l.Message == "!Index 1: there are not that many !Enumerate around it." && l.Field == "attributes");
    }

    private static string ContextBlueprint(string slug) => $$"""
        version: 1
        context:
          base: {{slug}}
          slug: !Format ['%s-flow', !Context base]
          name: !Context slug
          title: !Context [missing, !Format ['Title of %s', !Context name]]
        entries:
        - model: authentik_flows.flow
          identifiers: {slug: !Context slug}
          attrs: {name: !Context name, title: !Context title, designation: enrollment}
        """;

    [Fact]
    public async Task A_context_value_that_is_a_tag_is_resolved_and_may_use_other_context_values()
    {
        var slug = BlueprintKit.Unique("ctx");
        await app.ImportCleanAsync(ContextBlueprint(slug));

        Assert.Equal(slug + "-flow", await FlowNameAsync(slug + "-flow"));
        Assert.Equal($"Title of {slug}-flow", await FlowTitleAsync(slug + "-flow"));
    }

    [Fact]
    public async Task Context_given_on_import_overrides_the_files_and_nested_values_follow_it()
    {
        var slug = BlueprintKit.Unique("ctx");
        await app.ImportCleanAsync(ContextBlueprint(slug), new Dictionary<string, object?> { ["base"] = slug + "-given" });
        Assert.Equal($"Title of {slug}-given-flow", await FlowTitleAsync(slug + "-given-flow"));

        await app.ImportCleanAsync(ContextBlueprint(slug), new Dictionary<string, object?> { ["slug"] = slug + "-direct", ["title"] = "Given" });
        Assert.Equal((slug + "-direct", "Given"), (await FlowNameAsync(slug + "-direct"), await FlowTitleAsync(slug + "-direct")));
    }

    [Fact]
    public async Task A_context_value_that_refers_to_itself_is_an_error_not_a_loop()
    {
        var result = await app.ImportAsync("""
            version: 1
            context:
              a: !Context b
              b: !Format ['%s', !Context a]
            entries:
            - model: authentik_core.group
              identifiers: {name: !Context a}
            """);

        Assert.False(result.Success);
        Assert.Contains(result.Errors, l => l.Message.Contains("refers back to itself", StringComparison.Ordinal) && l.Field == "name");
    }

    [Fact]
    public async Task Merge_keys_and_aliases_bring_in_an_anchors_keys_and_the_mappings_own_keys_win()
    {
        var slug = BlueprintKit.Unique("merge");
        await app.ImportCleanAsync($$"""
            version: 1
            entries:
            - model: authentik_flows.flow
              identifiers: {slug: {{slug}}-1}
              attrs: &attrs
                name: Merged name
                title: Merged title
                designation: enrollment
            - &second
              model: authentik_flows.flow
              identifiers: {slug: {{slug}}-2}
              attrs:
                <<: *attrs
                title: Own title
            - <<: *second
              identifiers: {slug: {{slug}}-3}
            - model: authentik_flows.flow
              identifiers: {slug: {{slug}}-4}
              attrs: *attrs
            - model: authentik_flows.flow
              identifiers: {slug: {{slug}}-5}
              attrs:
                <<: [{title: First wins}, *attrs]
            """);

        Assert.Equal(("Merged name", "Merged title"), (await FlowNameAsync(slug + "-1"), await FlowTitleAsync(slug + "-1")));
        Assert.Equal(("Merged name", "Own title"), (await FlowNameAsync(slug + "-2"), await FlowTitleAsync(slug + "-2")));
        Assert.Equal(("Merged name", "Own title"), (await FlowNameAsync(slug + "-3"), await FlowTitleAsync(slug + "-3")));
        Assert.Equal(("Merged name", "Merged title"), (await FlowNameAsync(slug + "-4"), await FlowTitleAsync(slug + "-4")));
        Assert.Equal(("Merged name", "First wins"), (await FlowNameAsync(slug + "-5"), await FlowTitleAsync(slug + "-5")));
    }

    [Fact]
    public async Task A_merge_key_with_something_other_than_a_mapping_is_an_error_with_its_line()
    {
        var result = await app.ImportAsync("""
            version: 1
            entries:
            - model: authentik_core.group
              identifiers:
                <<: 5
                name: bad-merge
            """);

        Assert.False(result.Success);
        Assert.Contains(result.Errors, l => l.Message.StartsWith("A merge key (<<) takes a mapping", StringComparison.Ordinal) && l.Line == 5);
        Assert.False(await GroupExistsAsync("bad-merge"));
    }

    [Fact]
    public async Task Managed_models_are_those_of_the_entries_applied()
    {
        var slug = BlueprintKit.Unique("models");
        var result = await app.ImportOkAsync($$"""
            version: 1
            entries:
            - model: authentik_flows.Flow
              identifiers: {slug: {{slug}}}
              attrs: {name: x, title: x, designation: enrollment}
            - model: authentik_core.group
              conditions: [false]
              identifiers: {name: {{slug}}}
            """);

        Assert.Equal(["authentik_flows.flow"], result.ManagedModels);
    }
}
