using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Infrastructure.Blueprints;

/// <summary>Whole blueprints: every model mapped onto the entities, re-import, dry run, unmodelled fields.</summary>
public sealed class BlueprintImportTests(Hosts.WithBlueprintRoot app) : IClassFixture<Hosts.WithBlueprintRoot>
{
    [Fact]
    public async Task The_enrollment_example_creates_every_object_with_authentiks_field_values()
    {
        var result = await app.ImportOkAsync(Samples.Enrollment("full"));

        Assert.Contains(result.Logs, l => l.Message == "created authentik_flows.flow slug=full-enrollment");
        await app.DbAsync(async db =>
        {
            var flow = await db.Flows.Include(f => f.Bindings).ThenInclude(b => b.PolicyBindings).Include(f => f.PolicyBindings).SingleAsync(f => f.Slug == "full-enrollment");
            Assert.Equal(("full enrollment", "Welcome to full!", FlowDesignation.Enrollment, FlowAuthentication.RequireUnauthenticated),
                (flow.Name, flow.Title, flow.Designation, flow.Authentication));
            Assert.Equal([10, 20, 30, 40], flow.Bindings.Select(b => b.Order).Order());
            var promptBinding = flow.Bindings.Single(b => b.Order == 20);
            Assert.Equal(InvalidResponseAction.RestartWithContext, promptBinding.InvalidResponseAction);
            var policy = await db.Policies.OfType<ExpressionPolicy>().SingleAsync(p => p.Name == "full-check-email");
            Assert.Contains("endswith('@example.com')", policy.Expression);
            Assert.Equal(policy.Id, Assert.Single(promptBinding.PolicyBindings).PolicyId);
            var group = await db.Groups.SingleAsync(g => g.Name == "full-group");
            Assert.Equal(group.Id, Assert.Single(flow.PolicyBindings).GroupId);
            Assert.Equal("Engineering", group.Attributes["department"]!.GetValue<string>());

            var prompts = await db.Set<PromptStage>().Include(s => s.Fields).Include(s => s.ValidationPolicies).SingleAsync(s => s.Name == "full-prompts");
            Assert.Equal(["email", "password", "username"], prompts.Fields.Select(f => f.FieldKey).Order());
            Assert.Equal(PromptType.Email, prompts.Fields.Single(f => f.FieldKey == "email").Type); // written as prompt_type
            Assert.Equal(policy.Id, Assert.Single(prompts.ValidationPolicies).Id);
            var write = await db.Set<UserWriteStage>().SingleAsync(s => s.Name == "full-write");
            Assert.Equal((UserCreationMode.AlwaysCreate, group.Id, UserType.External, "users/full"),
                (write.UserCreationMode, write.CreateUsersGroupId, write.UserType, write.UserPathTemplate));
            var login = await db.Set<UserLoginStage>().SingleAsync(s => s.Name == "full-login");
            Assert.Equal(("hours=8", "days=30", true), (login.SessionDuration, login.RememberMeOffset, login.TerminateOtherSessions));

            var user = await db.Users.Include(u => u.Groups).SingleAsync(u => u.UserName == "full-admin");
            Assert.Equal(("FULL-ADMIN", "full-admin@example.com", UserType.Internal), (user.NormalizedUserName, user.Email, user.Type));
            Assert.Equal(PasswordVerificationResult.Success, new PasswordHasher<User>().VerifyHashedPassword(user, user.PasswordHash!, "Blueprint-Tulip-Glacier-58!"));
            Assert.Equal(group.Id, Assert.Single(user.Groups).Id);

            var invitation = await db.Invitations.SingleAsync(i => i.Name == "full-welcome");
            Assert.Equal((flow.Id, true, user.Id, new DateTime(2030, 1, 31, 12, 0, 0, DateTimeKind.Utc)),
                (invitation.FlowId, invitation.SingleUse, invitation.CreatedById, invitation.Expires!.Value));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"email":"full@example.com","attributes":{"department":"Engineering"}}"""), invitation.FixedData),
                invitation.FixedData.ToJsonString());
        });
    }

    [Fact]
    public async Task Reimporting_the_same_file_changes_nothing_and_creates_no_duplicates()
    {
        await app.ImportOkAsync(Samples.Enrollment("again"));
        var before = await app.SnapshotAsync();

        var second = await app.ImportOkAsync(Samples.Enrollment("again"));

        Assert.Equal(before, await app.SnapshotAsync());
        var entryLogs = second.Logs.Where(l => l.Entry is not null).ToList();
        Assert.Equal(18, entryLogs.Count(l => l.Level == BlueprintLogLevel.Info));
        Assert.All(entryLogs.Where(l => l.Level == BlueprintLogLevel.Info), l => Assert.StartsWith("unchanged", l.Message));
    }

    [Fact]
    public async Task Known_authentik_fields_Enrollment_does_not_model_are_accepted_with_a_warning()
    {
        var result = await app.ImportOkAsync(Samples.Enrollment("warn"));

        var warning = Assert.Single(result.Logs, l => l.Level == BlueprintLogLevel.Warning);
        Assert.Equal(("compatibility_mode", 0, "flow", "authentik_flows.flow"), (warning.Field, warning.Entry, warning.Id, warning.Model));
    }

    [Fact]
    public async Task A_dry_run_validates_everything_and_saves_nothing()
    {
        var before = await app.SnapshotAsync();

        var result = await app.ImportAsync(Samples.Enrollment("dry"), dryRun: true);

        Assert.True(result.Success, result.ToString());
        Assert.Contains(result.Logs, l => l.Message.StartsWith("created authentik_flows.flowstagebinding", StringComparison.Ordinal));
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task A_dry_run_reports_the_error_a_real_import_would_hit()
    {
        var yaml = Samples.Enrollment("dryfail").Replace("order: 30", "order: thirty");

        var result = await app.ImportAsync(yaml, dryRun: true);

        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("order", 12, "authentik_flows.flowstagebinding"), (error.Field, error.Entry, error.Model));
    }

    [Fact]
    public async Task A_pk_identifier_finds_the_object_even_when_its_other_identifiers_changed()
    {
        var flow = await app.FlowAsync("by-pk");
        var yaml = $"""
            version: 1
            entries:
            - model: authentik_flows.flow
              identifiers:
                pk: {flow.Id}
                slug: by-pk-renamed
              attrs:
                title: Renamed
            """;

        await app.ImportOkAsync(yaml);

        var stored = await app.DbAsync(db => db.Flows.SingleAsync(f => f.Id == flow.Id));
        Assert.Equal(("by-pk-renamed", "Renamed", flow.Name), (stored.Slug, stored.Title, stored.Name));
    }

    [Fact]
    public async Task A_pk_identifier_for_a_missing_object_creates_it_with_that_pk()
    {
        var id = Guid.NewGuid();
        await app.ImportOkAsync($"""
            version: 1
            entries:
            - model: authentik_core.group
              identifiers:
                pk: {id}
                name: with-pk
            """);

        Assert.Equal("with-pk", await app.DbAsync(db => db.Groups.Where(g => g.Id == id).Select(g => g.Name).SingleAsync()));
    }
}
