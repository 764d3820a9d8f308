using Enrollment.Domain;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Blueprints.Models;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Features.Invitations;

/// <summary><c>authentik_stages_invitation.invitation</c> entries with <c>groups</c>, <c>email</c> and <c>email_domains</c>: written, refused with the field named, exported only when set.</summary>
public sealed class InvitationBindingBlueprintTests(Hosts.WithoutDefaultBlueprints app) : IClassFixture<Hosts.WithoutDefaultBlueprints>
{
    private static string Blueprint(string name, string attrs) => $"""
        version: 1
        metadata:
          name: {name}
        entries:
        - model: authentik_core.group
          id: staff
          identifiers:
            name: {name}-staff
        - model: authentik_stages_invitation.invitation
          identifiers:
            name: {name}
          attrs:
        {attrs}
        """;

    private Task<Invitation?> InvitationAsync(string name) =>
        app.DbAsync(db => db.Invitations.AsNoTracking().Include(i => i.Groups).SingleOrDefaultAsync(i => i.Name == name));

    [Fact]
    public async Task An_entry_sets_groups_email_and_domains_and_a_second_import_changes_nothing()
    {
        var yaml = Blueprint("bp-bind", """
                groups: [!KeyOf staff]
                email: Ann@Example.com
                email_domains: [Example.com, eu.example.com]
            """);
        await app.ImportOkAsync(yaml);

        var invitation = await InvitationAsync("bp-bind");
        var staff = await app.DbAsync(db => db.Groups.SingleAsync(g => g.Name == "bp-bind-staff"));
        Assert.Equal([staff.Id], invitation!.Groups.Select(g => g.GroupId));
        Assert.Equal("Ann@Example.com", invitation.Email);
        Assert.Equal(["example.com", "eu.example.com"], invitation.EmailDomains);

        var before = await app.SnapshotAsync();
        var again = await app.ImportOkAsync(yaml);
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Contains(again.Logs, l => l.Message.StartsWith("unchanged") && l.Message.Contains("authentik_stages_invitation.invitation"));
    }

    [Theory]
    [InlineData("groups: [\"00000000-0000-0000-0000-0000000000aa\"]", "groups", "no authentik_core.group with pk 00000000-0000-0000-0000-0000000000aa")]
    [InlineData("groups: [not-a-pk]", "groups", "item 0: expected a primary key")]
    [InlineData("email: not-an-address", "email", "Enter a valid email address")]
    [InlineData("email_domains: [\"@example.com\"]", "email_domains", "enter only the part after the @")]
    [InlineData("email_domains: [\"exa mple.com\"]", "email_domains", "contains a space")]
    [InlineData("email_domains: example.com", "email_domains", "expected a list")]
    [InlineData("email: a@example.org\n    email_domains: [example.com]", "email", "is not in any of the invitation's email_domains")]
    public async Task Bad_values_fail_the_import_naming_the_field_and_nothing_is_saved(string attrs, string field, string message)
    {
        var name = "bp-bad-" + Guid.NewGuid().ToString("N")[..6];
        var result = await app.ImportAsync(Blueprint(name, "    " + attrs));

        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("authentik_stages_invitation.invitation", field), (error.Model, error.Field));
        Assert.Contains(message, error.Message);
        Assert.Null(await InvitationAsync(name));
        Assert.False(await app.DbAsync(db => db.Groups.AnyAsync(g => g.Name == name + "-staff"))); // all or nothing
    }

    [Fact]
    public async Task More_than_a_hundred_domains_are_refused()
    {
        var domains = string.Join(", ", Enumerable.Range(0, 101).Select(i => $"d{i}.example.com"));
        var result = await app.ImportAsync(Blueprint("bp-many", $"    email_domains: [{domains}]"));
        Assert.Contains("at most 100", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public async Task An_export_writes_the_fields_only_when_they_are_set()
    {
        await app.ImportOkAsync(Blueprint("bp-exp-set", """
                groups: [!KeyOf staff]
                email: set@example.com
                email_domains: [example.com]
            """));
        await app.ImportOkAsync(Blueprint("bp-exp-unset", "    single_use: true"));

        var set = await ExportAsync("bp-exp-set");
        Assert.Contains("    groups:\n    - !KeyOf staff-entry\n    email: set@example.com\n    email_domains:\n    - example.com\n", set);
        var unset = await ExportAsync("bp-exp-unset");
        Assert.DoesNotContain("groups", unset);
        Assert.DoesNotContain("email", unset);
    }

    private async Task<string> ExportAsync(string name)
    {
        var invitation = (await InvitationAsync(name))!;
        var model = app.Services.GetRequiredService<ModelRegistry>().For(typeof(Invitation));
        var context = new ExportContext();
        foreach (var g in invitation.Groups) context.AddEntry(g.GroupId, "staff-entry");
        var writer = new BlueprintWriter();
        writer.List();
        model.Export(writer, invitation, context);
        writer.EndList();
        return writer.Finish();
    }
}
