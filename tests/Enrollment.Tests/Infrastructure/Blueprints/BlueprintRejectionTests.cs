using System.Diagnostics;
using System.Text;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Infrastructure.Blueprints;

/// <summary>
/// Bad input: each case fails with a message naming what is wrong (and where), quickly, and leaves the database
/// exactly as it was, although the valid entries before the bad one had been applied inside the transaction.
/// </summary>
public sealed class BlueprintRejectionTests(Hosts.WithBlueprintRoot app) : IClassFixture<Hosts.WithBlueprintRoot>
{
    /// <summary>A valid first entry, so that "unchanged" proves a rollback and not just an early stop.</summary>
    private static string WithValidFirst(string slug, string badEntry) => Samples.Flow(slug) + "\n" + badEntry;

    private async Task<BlueprintLog> RejectedAsync(string yaml)
    {
        var before = await app.SnapshotAsync();
        var watch = Stopwatch.StartNew();
        var result = await app.ImportAsync(yaml);
        watch.Stop();

        Assert.False(result.Success, result.ToString());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal(before, await app.SnapshotAsync());
        return Assert.Single(result.Errors);
    }

    [Fact]
    public async Task Malformed_yaml_is_rejected_with_line_and_column()
    {
        var error = await RejectedAsync("version: 1\nentries:\n  - model: authentik_flows.flow\n    identifiers: {slug: x\n  - bad");
        Assert.Matches(@"Invalid YAML at line \d+, column \d+", error.Message);
    }

    [Theory]
    [InlineData("version: 2\nentries: []")]
    [InlineData("entries: []")]
    [InlineData("version: '1'\nentries: []")]
    public async Task A_version_other_than_1_is_rejected(string yaml) =>
        Assert.Equal("Invalid blueprint version", (await RejectedAsync(yaml)).Message);

    [Fact]
    public async Task An_unknown_model_is_named_in_the_error()
    {
        var error = await RejectedAsync(WithValidFirst("rej-model", """
            - model: authentik_foo.bar
              id: strange
              identifiers: {name: x}
            """));
        Assert.Equal((1, "strange", "authentik_foo.bar", "model"), (error.Entry, error.Id, error.Model, error.Field));
        Assert.Contains("Unknown model 'authentik_foo.bar'", error.Message);
        Assert.Contains("authentik_flows.flow", error.Message);
    }

    [Fact]
    public async Task An_unknown_field_is_named_in_the_error()
    {
        var error = await RejectedAsync(WithValidFirst("rej-field", """
            - model: authentik_core.group
              id: group
              identifiers: {name: rej-field-group}
              attrs: {colour: blue}
            """));
        Assert.Equal((1, "group", "authentik_core.group", "colour"), (error.Entry, error.Id, error.Model, error.Field));
        Assert.Contains("unknown field", error.Message);
    }

    [Fact]
    public async Task KeyOf_a_missing_id_names_the_id()
    {
        var error = await RejectedAsync(WithValidFirst("rej-keyof", """
            - model: authentik_flows.flowstagebinding
              identifiers: {target: !KeyOf flow, stage: !KeyOf no-such-stage, order: 1}
            """));
        Assert.Equal((1, "stage"), (error.Entry, error.Field));
        Assert.Contains("'no-such-stage'", error.Message);
    }

    [Theory]
    [InlineData("order: abc", "order", "expected a whole number, got text 'abc'")]
    [InlineData("evaluate_on_plan: [1]", "evaluate_on_plan", "expected true or false, got a list")]
    [InlineData("invalid_response_action: explode", "invalid_response_action", "'explode' is not one of: retry, restart, restart_with_context")]
    [InlineData("re_evaluate_policies: maybe", "re_evaluate_policies", "expected true or false")]
    public async Task A_value_of_the_wrong_type_names_the_field(string attr, string field, string message)
    {
        var error = await RejectedAsync(WithValidFirst($"rej-type-{field}", $$"""
            - model: authentik_stages_invitation.invitationstage
              id: stage
              identifiers: {name: rej-type-{{field}}}
            - model: authentik_flows.flowstagebinding
              id: binding
              identifiers: {target: !KeyOf flow, stage: !KeyOf stage}
              attrs: { {{attr}} }
            """));
        Assert.Equal((2, "binding", field), (error.Entry, error.Id, error.Field));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task A_list_where_a_boolean_belongs_names_the_field()
    {
        var error = await RejectedAsync(WithValidFirst("rej-single-use", """
            - model: authentik_stages_invitation.invitation
              identifiers: {name: rej-single-use}
              attrs:
                single_use: [1]
            """));
        Assert.Equal((1, "single_use"), (error.Entry, error.Field));
    }

    [Fact]
    public async Task A_reference_to_a_missing_object_names_the_field()
    {
        var error = await RejectedAsync(WithValidFirst("rej-ref", $$"""
            - model: authentik_stages_invitation.invitation
              identifiers: {name: rej-ref}
              attrs: {flow: {{Guid.NewGuid()}}}
            """));
        Assert.Equal("flow", error.Field);
        Assert.Contains("no authentik_flows.flow with pk", error.Message);
    }

    [Fact]
    public async Task A_missing_required_field_is_named()
    {
        var error = await RejectedAsync(WithValidFirst("rej-required", """
            - model: authentik_stages_prompt.prompt
              identifiers: {name: rej-required}
              attrs: {label: No key, type: text}
            """));
        Assert.Equal("field_key", error.Field);
        Assert.Contains("required", error.Message);
    }

    [Fact]
    public async Task A_database_constraint_fails_the_entry_and_rolls_back()
    {
        // Stage names are unique across kinds: the check is the database's.
        var error = await RejectedAsync(WithValidFirst("rej-unique", """
            - model: authentik_stages_invitation.invitationstage
              identifiers: {name: rej-unique-stage}
            - model: authentik_stages_user_login.userloginstage
              identifiers: {name: rej-unique-stage}
            """));
        Assert.Equal(2, error.Entry);
        Assert.Contains("database refused", error.Message);
    }

    [Fact]
    public async Task A_ten_megabyte_file_is_rejected_before_parsing()
    {
        var yaml = Samples.Flow("rej-huge") + "\n# " + new string('x', 10 * 1024 * 1024);
        Assert.Contains("larger than 5 MB", (await RejectedAsync(yaml)).Message);
    }

    [Fact]
    public async Task A_billion_laughs_alias_bomb_is_rejected()
    {
        var yaml = new StringBuilder(Samples.Flow("rej-laughs")).Append('\n').Append("""
            - model: authentik_core.group
              identifiers: {name: rej-laughs}
              attrs:
                attributes:
                  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
                  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
                  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
                  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
                  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
                  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
                  g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
                  h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
                  i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
            """).ToString();
        var error = await RejectedAsync(yaml);
        Assert.Contains("expands to more than", error.Message);
        Assert.Equal(1, error.Entry);
    }

    [Fact]
    public async Task Deep_nesting_is_rejected_before_it_can_overflow_the_stack()
    {
        var depth = 1_000_000;
        var yaml = Samples.Flow("rej-deep") + "\n- model: authentik_core.group\n  identifiers: {name: rej-deep}\n  attrs:\n    attributes: {x: " + new string('[', depth) + new string(']', depth) + "}\n";
        Assert.Contains("nested more than", (await RejectedAsync(yaml)).Message);
    }

    [Fact]
    public async Task Enumerate_cannot_be_used_to_expand_a_small_file_without_bound()
    {
        var error = await RejectedAsync(WithValidFirst("rej-enum", """
            - model: authentik_core.group
              identifiers: {name: rej-enum}
              attrs:
                attributes:
                  x: !Enumerate [&l [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40], SEQ, !Enumerate [*l, SEQ, !Enumerate [*l, SEQ, !Enumerate [*l, SEQ, !Value 0]]]]
            """));
        Assert.Contains("expands to more than", error.Message);
    }

    [Fact]
    public async Task A_path_outside_the_blueprints_folder_is_refused()
    {
        var error = await RejectedAsync(WithValidFirst("rej-file", """
            - model: authentik_policies_expression.expressionpolicy
              identifiers: {name: rej-file}
              attrs: {expression: !File [/etc/passwd, "return True"]}
            """));
        Assert.Equal("expression", error.Field);
        Assert.Contains("outside the blueprints folder", error.Message);
    }
}
