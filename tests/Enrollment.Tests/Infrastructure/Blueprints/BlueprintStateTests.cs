using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Infrastructure.Blueprints;

/// <summary>Entry states (present, created, must_created, absent) and conditions.</summary>
public sealed class BlueprintStateTests(Hosts.WithBlueprintRoot app) : IClassFixture<Hosts.WithBlueprintRoot>
{
    private static string Entry(string state, string slug, string title, string conditions = "") => $"""
        version: 1
        entries:
        - model: authentik_flows.flow
          state: {state}
          {conditions}
          identifiers:
            slug: {slug}
          attrs:
            name: Flow {slug}
            title: {title}
            designation: enrollment
        """;

    private Task<Flow?> FlowAsync(string slug) => app.DbAsync(db => db.Flows.AsNoTracking().SingleOrDefaultAsync(f => f.Slug == slug));

    [Fact]
    public async Task Present_creates_a_missing_object()
    {
        var result = await app.ImportOkAsync(Entry("present", "present-new", "New"));

        Assert.Equal("New", (await FlowAsync("present-new"))!.Title);
        Assert.Contains(result.Logs, l => l is { Entry: 0, Message: "created authentik_flows.flow slug=present-new" });
    }

    [Fact]
    public async Task Present_updates_only_the_listed_attributes_of_an_existing_object()
    {
        var flow = await app.FlowAsync("present-old");
        await app.DbAsync(db => db.Flows.Where(f => f.Id == flow.Id).ExecuteUpdateAsync(s => s.SetProperty(f => f.Layout, FlowLayout.SidebarLeft)));

        var result = await app.ImportOkAsync("""
            version: 1
            entries:
            - model: authentik_flows.flow
              identifiers:
                slug: present-old
              attrs:
                title: Changed title
            """);

        var stored = (await FlowAsync("present-old"))!;
        Assert.Equal(("Changed title", flow.Name, FlowLayout.SidebarLeft, flow.Id), (stored.Title, stored.Name, stored.Layout, stored.Id));
        Assert.Contains(result.Logs, l => l.Message == "updated authentik_flows.flow slug=present-old");
    }

    [Fact]
    public async Task Created_creates_a_missing_object_but_leaves_an_existing_one_alone()
    {
        await app.ImportOkAsync(Entry("created", "created-flow", "First"));
        var result = await app.ImportOkAsync(Entry("created", "created-flow", "Second"));

        Assert.Equal("First", (await FlowAsync("created-flow"))!.Title);
        Assert.Contains(result.Logs, l => l.Message.StartsWith("unchanged", StringComparison.Ordinal) && l.Message.Contains("state created"));
    }

    [Fact]
    public async Task Created_still_gives_KeyOf_the_existing_objects_pk()
    {
        var flow = await app.FlowAsync("created-keyof");

        await app.ImportOkAsync("""
            version: 1
            entries:
            - model: authentik_flows.flow
              state: created
              id: flow
              identifiers: {slug: created-keyof}
            - model: authentik_stages_invitation.invitation
              identifiers: {name: created-keyof-invite}
              attrs: {flow: !KeyOf flow}
            """);

        Assert.Equal(flow.Id, await app.DbAsync(db => db.Invitations.Where(i => i.Name == "created-keyof-invite").Select(i => i.FlowId).SingleAsync()));
    }

    [Fact]
    public async Task Must_created_fails_when_the_object_exists_and_saves_nothing()
    {
        await app.FlowAsync("must-exists");
        var yaml = Samples.Flow("must-other") + "\n" + """
            - model: authentik_flows.flow
              state: must_created
              id: second
              identifiers:
                slug: must-exists
              attrs:
                title: Never
            """;
        var before = await app.SnapshotAsync();

        var result = await app.ImportAsync(yaml);

        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Equal((1, "second", "authentik_flows.flow"), (error.Entry, error.Id, error.Model));
        Assert.Contains("already exists", error.Message);
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Null(await FlowAsync("must-other"));
    }

    [Fact]
    public async Task Must_created_creates_a_missing_object()
    {
        await app.ImportOkAsync(Entry("must_created", "must-new", "Made"));

        Assert.Equal("Made", (await FlowAsync("must-new"))!.Title);
    }

    [Fact]
    public async Task Absent_deletes_an_existing_object_and_skips_a_missing_one()
    {
        await app.FlowAsync("absent-flow");
        var yaml = """
            version: 1
            entries:
            - model: authentik_flows.flow
              state: absent
              identifiers: {slug: absent-flow}
            - model: authentik_flows.flow
              state: absent
              identifiers: {slug: absent-never-existed}
            """;

        var result = await app.ImportOkAsync(yaml);

        Assert.Null(await FlowAsync("absent-flow"));
        Assert.Contains(result.Logs, l => l is { Entry: 0 } && l.Message.StartsWith("deleted", StringComparison.Ordinal));
        Assert.Contains(result.Logs, l => l is { Entry: 1 } && l.Message.Contains("does not exist"));
    }

    [Fact]
    public async Task An_unknown_state_is_an_error_naming_the_allowed_states()
    {
        var result = await app.ImportAsync(Entry("gone", "state-unknown", "x"));

        var error = Assert.Single(result.Errors);
        Assert.Equal("state", error.Field);
        Assert.Contains("present, created, must_created, absent", error.Message);
    }

    [Fact]
    public async Task An_entry_whose_conditions_are_not_all_true_is_skipped()
    {
        var result = await app.ImportOkAsync(Entry("present", "cond-false", "x", "conditions: [true, !Context missing]"));

        Assert.Null(await FlowAsync("cond-false"));
        Assert.Contains(result.Logs, l => l is { Entry: 0, Message: "skipped (conditions false)" });
    }

    [Fact]
    public async Task An_entry_whose_conditions_are_all_true_is_applied()
    {
        await app.ImportOkAsync(Entry("present", "cond-true", "x", "conditions: [true, !Condition [OR, false, !Context on], yes-text]"),
            new Dictionary<string, object?> { ["on"] = true });

        Assert.NotNull(await FlowAsync("cond-true"));
    }

    [Fact]
    public async Task KeyOf_a_skipped_entry_is_an_error_naming_the_id()
    {
        var result = await app.ImportAsync("""
            version: 1
            entries:
            - model: authentik_flows.flow
              id: skipped-flow
              conditions: [false]
              identifiers: {slug: cond-skipped}
            - model: authentik_stages_invitation.invitation
              identifiers: {name: cond-skipped-invite}
              attrs: {flow: !KeyOf skipped-flow}
            """);

        var error = Assert.Single(result.Errors);
        Assert.Equal((1, "flow"), (error.Entry, error.Field));
        Assert.Contains("'skipped-flow'", error.Message);
    }
}
