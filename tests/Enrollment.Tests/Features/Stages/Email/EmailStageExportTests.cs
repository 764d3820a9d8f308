using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Stages.Email;

/// <summary>A flow with an email stage exports every field but the SMTP password, and round-trips.</summary>
public sealed class EmailStageExportTests(Hosts.WithoutDefaultBlueprints app) : IClassFixture<Hosts.WithoutDefaultBlueprints>
{
    private const string Source = """
        version: 1
        metadata:
          name: email export
        entries:
        - model: authentik_flows.flow
          id: flow
          identifiers:
            slug: export-mail
          attrs:
            name: Export mail
            title: Export mail
            designation: enrollment
        - model: authentik_stages_email.emailstage
          id: email
          identifiers:
            name: export-mail-email
          attrs:
            use_global_settings: false
            host: smtp.example.com
            port: 587
            username: mailer
            password: very-Secret-1
            use_tls: true
            timeout: 20
            from_address: noreply@example.com
            token_expiry: 60
            subject: "10"
            template: email/password_reset.html
            activate_user_on_success: true
        - model: authentik_flows.flowstagebinding
          identifiers: {target: !KeyOf flow, stage: !KeyOf email, order: 10}
        """;

    [Fact]
    public async Task The_export_has_every_field_but_the_password_and_imports_to_the_same_export()
    {
        await app.ImportCleanAsync(Source);
        using var admin = await app.AdminClientAsync();

        var yaml = await admin.Http.GetStringAsync("/if/admin/flows/export-mail/export/");

        Assert.Contains("- model: authentik_stages_email.emailstage\n", yaml);
        Assert.Contains(string.Concat(new[]
        {
            "    use_global_settings: false\n",
            "    host: smtp.example.com\n",
            "    port: 587\n",
            "    username: mailer\n",
            "    use_tls: true\n",
            "    use_ssl: false\n",
            "    timeout: 20\n",
            "    from_address: noreply@example.com\n",
            "    token_expiry: 60\n",
            "    subject: \"10\"\n",
            "    template: email/password_reset.html\n",
            "    activate_user_on_success: true\n",
        }), yaml);
        Assert.DoesNotContain("very-Secret-1", yaml);
        Assert.DoesNotContain("password:", yaml);

        // Back into its own database: nothing changes, the password included.
        var again = await app.ImportCleanAsync(yaml);
        Assert.All(again.Logs.Where(l => l.Entry is not null), l => Assert.StartsWith("unchanged", l.Message));
        Assert.Equal("very-Secret-1", await app.DbAsync(db => db.Set<EmailStage>().Select(s => s.Password).SingleAsync()));

        // Into an empty database, and out again: the same bytes.
        await using var target = new Hosts.WithoutDefaultBlueprints();
        await target.ImportCleanAsync(yaml);
        using var targetAdmin = await target.AdminClientAsync();
        Assert.Equal(yaml, await targetAdmin.Http.GetStringAsync("/if/admin/flows/export-mail/export/"));
    }
}
