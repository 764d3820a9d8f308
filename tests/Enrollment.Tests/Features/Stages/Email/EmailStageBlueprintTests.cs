using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Stages.Email;

/// <summary><c>authentik_stages_email.emailstage</c> entries: every field, both spellings of token_expiry, bad values named.</summary>
public sealed class EmailStageBlueprintTests(Hosts.WithBlueprintRoot app) : IClassFixture<Hosts.WithBlueprintRoot>
{
    private static string Blueprint(string name, string attrs) => $"""
        version: 1
        metadata:
          name: {name}
        entries:
        - model: authentik_flows.flow
          id: flow
          identifiers:
            slug: {name}
          attrs:
            name: {name}
            title: {name}
            designation: enrollment
        - model: authentik_stages_email.emailstage
          id: email
          identifiers:
            name: {name}-email
          attrs:
        {attrs}
        - model: authentik_flows.flowstagebinding
          identifiers: {"{"}target: !KeyOf flow, stage: !KeyOf email, order: 30{"}"}
        """;

    private Task<EmailStage> StageAsync(string name) => app.DbAsync(db => db.Set<EmailStage>().AsNoTracking().SingleAsync(s => s.Name == name));

    [Fact]
    public async Task An_email_stage_entry_sets_every_field_and_is_bound_to_the_flow()
    {
        var result = await app.ImportOkAsync(Blueprint("bp-mail", """
                use_global_settings: false
                host: smtp.example.com
                port: 465
                username: mailer
                password: s3cret
                use_tls: false
                use_ssl: true
                timeout: 15
                from_address: authentik <noreply@example.com>
                token_expiry: 45
                subject: Confirm your email
                template: email/account_confirmation.html
                activate_user_on_success: true
                recovery_max_attempts: 5
                recovery_cache_timeout: minutes=5
            """));

        Assert.Contains(result.Logs, l => l.Message.StartsWith("created authentik_stages_email.emailstage"));
        var stage = await StageAsync("bp-mail-email");
        Assert.Equal((false, "smtp.example.com", 465, "mailer", "s3cret", false, true, 15), (stage.UseGlobalSettings, stage.Host, stage.Port, stage.Username, stage.Password, stage.UseTls, stage.UseSsl, stage.Timeout));
        Assert.Equal(("authentik <noreply@example.com>", 45, "Confirm your email", "email/account_confirmation.html", true),
            (stage.FromAddress, stage.TokenExpiry, stage.Subject, stage.Template, stage.ActivateUserOnSuccess));
        Assert.True(await app.DbAsync(db => db.FlowStageBindings.AnyAsync(b => b.StageId == stage.Id && b.Flow.Slug == "bp-mail" && b.Order == 30)));

        // Importing again changes nothing.
        var again = await app.ImportOkAsync(Blueprint("bp-mail", """
                use_global_settings: false
                host: smtp.example.com
                port: 465
                token_expiry: 45
            """));
        Assert.Contains(again.Logs, l => l.Message.StartsWith("unchanged") && l.Message.Contains("authentik_stages_email.emailstage name=bp-mail-email"));
    }

    [Fact]
    public async Task Defaults_are_authentiks_when_attrs_are_left_out()
    {
        await app.ImportOkAsync(Blueprint("bp-mail-min", "    use_global_settings: true"));
        var stage = await StageAsync("bp-mail-min-email");
        Assert.Equal((true, 25, 10, 30, "system@authentik.local", "authentik", "email/account_confirmation.html", false),
            (stage.UseGlobalSettings, stage.Port, stage.Timeout, stage.TokenExpiry, stage.FromAddress, stage.Subject, stage.Template, stage.ActivateUserOnSuccess));
    }

    [Theory]
    [InlineData("minutes=30", 30)]
    [InlineData("hours=2", 120)]
    [InlineData("days=1;hours=1", 1500)]
    [InlineData("seconds=90", 2)]
    [InlineData("\"15\"", 15)]
    public async Task Token_expiry_is_minutes_or_a_timedelta_as_later_authentik_versions_write_it(string value, int minutes)
    {
        var name = "bp-exp-" + minutes;
        await app.ImportOkAsync(Blueprint(name, $"    token_expiry: {value}"));
        Assert.Equal(minutes, (await StageAsync(name + "-email")).TokenExpiry);
    }

    [Theory]
    [InlineData("port: 0", "port", "must be at least 1.")]
    [InlineData("port: 70000", "port", "must be at most 65535.")]
    [InlineData("timeout: -1", "timeout", "must be at least 1.")]
    [InlineData("token_expiry: 0", "token_expiry", "must be at least 1.")]
    [InlineData("token_expiry: fortnights=1", "token_expiry", "Use unit=number pairs")]
    [InlineData("from_address: not an address", "from_address", "is not a valid sender address")]
    [InlineData("template: ../../appsettings.json", "template", "is not a template name")]
    [InlineData("subject: \"two\\nlines\"", "subject", "The subject must be one line of text.")]
    public async Task Bad_values_fail_the_import_naming_the_field(string attr, string field, string message)
    {
        var result = await app.ImportAsync(Blueprint("bp-bad-" + Guid.NewGuid().ToString("N")[..6], "    " + attr));
        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("authentik_stages_email.emailstage", field), (error.Model, error.Field));
        Assert.Contains(message, error.Message);
    }
}
