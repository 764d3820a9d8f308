using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Infrastructure.Blueprints;

/// <summary>
/// <c>authentik_policies_password.passwordpolicy</c> entries: applied with every field (a prompt stage's validation
/// policy by <c>!KeyOf</c>, and a policy binding), taking effect in the flow, exported with the flow and imported again
/// to the same bytes; values out of range are refused naming the entry and the field, rolling everything back.
/// </summary>
public sealed class PasswordPolicyBlueprintTests(Hosts.WithoutDefaultBlueprints app) : IClassFixture<Hosts.WithoutDefaultBlueprints>
{
    private const string Blueprint = """
        version: 1
        metadata: {name: Password policy blueprint}
        entries:
        - model: authentik_flows.flow
          id: flow
          identifiers: {slug: bp-password}
          attrs: {name: Blueprint passwords, title: Choose a password, designation: enrollment}
        - model: authentik_policies_password.passwordpolicy
          id: strong
          identifiers: {name: bp-password-strong}
          attrs:
            password_field: password
            check_static_rules: true
            length_min: 14
            amount_digits: 1
            amount_uppercase: 0
            amount_lowercase: 1
            amount_symbols: 0
            symbol_charset: "!?#"
            error_message: ""
            check_zxcvbn: true
            zxcvbn_score_threshold: 2
            check_have_i_been_pwned: false
            hibp_allowed_count: 0
        - model: authentik_policies_password.passwordpolicy
          id: other
          identifiers: {name: bp-password-other}
          attrs: {length_min: 1}
        - model: authentik_stages_prompt.prompt
          id: prompt-password
          identifiers: {name: bp-password-field}
          attrs: {field_key: password, label: Password, type: password, order: 0}
        - model: authentik_stages_prompt.prompt
          id: prompt-repeat
          identifiers: {name: bp-password-repeat}
          attrs: {field_key: password_repeat, label: Password (repeat), type: password, order: 1}
        - model: authentik_stages_prompt.promptstage
          id: stage
          identifiers: {name: bp-password-prompts}
          attrs:
            fields: [!KeyOf prompt-password, !KeyOf prompt-repeat]
            validation_policies: [!KeyOf strong]
        - model: authentik_flows.flowstagebinding
          id: binding
          identifiers: {target: !KeyOf flow, stage: !KeyOf stage, order: 10}
        - model: authentik_policies.policybinding
          identifiers: {target: !KeyOf binding, policy: !KeyOf other, order: 0}
          attrs: {enabled: false}
        """;

    [Fact]
    public async Task Applied_entries_take_effect_and_export_imports_again_to_the_same_bytes()
    {
        await app.ImportCleanAsync(Blueprint);
        var policy = await app.DbAsync(db => db.Policies.OfType<PasswordPolicy>().SingleAsync(p => p.Name == "bp-password-strong"));
        Assert.Equal((14, 1, 1, "!?#", true, 2), (policy.LengthMin, policy.AmountDigits, policy.AmountLowercase, policy.SymbolCharset, policy.CheckZxcvbn, policy.ZxcvbnScoreThreshold));
        var other = await app.DbAsync(db => db.Policies.OfType<PasswordPolicy>().SingleAsync(p => p.Name == "bp-password-other"));
        Assert.Equal(("password", true, PasswordPolicy.DefaultSymbolCharset, false, 2), (other.PasswordField, other.CheckStaticRules, other.SymbolCharset, other.CheckZxcvbn, other.ZxcvbnScoreThreshold));

        // In effect: the invitee meets the imported rules.
        using (var client = app.NewClient())
        {
            var page = await client.GetPageAsync(FlowUrl("bp-password"));
            Assert.Equal("At least 14 characters, 1 digit and 1 lowercase letter; avoid common words and patterns.",
                page.QuerySelector("#flow-card .password-rules")!.TextContent.Trim());
            page = await TestClient.ParseAsync(await client.SubmitAsync(FlowUrl("bp-password"), page, ("password", "Short-1"), ("password_repeat", "Short-1")));
            Assert.Equal("Use at least 14 characters.", Control(page, "password").Closest(".field")!.QuerySelector(".field-error")!.TextContent.Trim());
        }

        using var admin = await app.AdminClientAsync();
        var first = await admin.Http.GetStringAsync("/if/admin/flows/bp-password/export/");
        Assert.Contains("- model: authentik_policies_password.passwordpolicy\n  state: present\n  id: policy-bp-password-strong\n", first);
        Assert.Contains("    length_min: 14\n", first);
        Assert.Contains("    zxcvbn_score_threshold: 2\n", first);
        Assert.Contains("    validation_policies:\n    - !KeyOf policy-bp-password-strong\n", first);
        Assert.Contains("    policy: !KeyOf policy-bp-password-other\n", first);
        // A re-import changes nothing.
        var before = await app.SnapshotAsync();
        await app.ImportCleanAsync(first);
        Assert.Equal(before, await app.SnapshotAsync());

        await using var target = new Hosts.WithoutDefaultBlueprints();
        await target.ImportCleanAsync(first);
        using var targetAdmin = await target.AdminClientAsync();
        Assert.Equal(first, await targetAdmin.Http.GetStringAsync("/if/admin/flows/bp-password/export/"));
    }

    [Theory]
    [InlineData("zxcvbn_score_threshold: 4", "zxcvbn_score_threshold", "must be between 0 and 3.")]
    [InlineData("length_min: -1", "length_min", "must be at least 0.")]
    [InlineData("hibp_allowed_count: -5", "hibp_allowed_count", "must be at least 0.")]
    [InlineData("password_field: ''", "password_field", "may not be empty.")]
    [InlineData("symbol_charset: ''", "symbol_charset", "may not be empty.")]
    public async Task Out_of_range_values_are_refused_naming_the_entry_and_field_and_nothing_is_written(string attr, string field, string message)
    {
        var slug = BlueprintKit.Unique("bp-pw-bad");
        var result = await app.ImportAsync($$"""
            version: 1
            metadata: {name: Bad password policy}
            entries:
            - model: authentik_flows.flow
              identifiers: {slug: {{slug}}}
              attrs: {name: {{slug}}, title: x, designation: enrollment}
            - model: authentik_policies_password.passwordpolicy
              identifiers: {name: {{slug}}}
              attrs: {{{attr}}}
            """);
        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Equal((1, field), (error.Entry, error.Field));
        Assert.Contains(message, error.Message);
        Assert.False(await app.DbAsync(db => db.Flows.AnyAsync(f => f.Slug == slug)));
        Assert.False(await app.DbAsync(db => db.Policies.AnyAsync(p => p.Name == slug)));
    }
}
