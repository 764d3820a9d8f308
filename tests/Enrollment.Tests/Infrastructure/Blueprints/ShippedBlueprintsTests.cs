using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Enrollment.Domain;
using Enrollment.Infrastructure;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Infrastructure.Blueprints;

/// <summary>
/// The blueprints shipped in <c>blueprints/</c>: each imports, a second import changes nothing, and the flows they
/// create are walked end to end by anonymous invitees over HTTP.
/// </summary>
public sealed class ShippedBlueprintsTests(Hosts.WithBlueprintRoot app) : IClassFixture<Hosts.WithBlueprintRoot>
{
    public const string Example = "example/invitation-based-enrollment.yaml";
    public const string TwoStage = "default/enrollment-2-stage.yaml";
    public const string Minimal = "default/invitation-enrollment-minimal.yaml";

    [Theory]
    [InlineData(Example)]
    [InlineData(TwoStage)]
    [InlineData(Minimal)]
    public async Task Each_shipped_blueprint_imports_and_a_second_import_changes_nothing(string file)
    {
        var yaml = app.ShippedBlueprint(file);
        await app.ImportCleanAsync(yaml);
        var before = await app.SnapshotAsync();

        var again = await app.ImportCleanAsync(yaml);

        Assert.Equal(before, await app.SnapshotAsync());
        var entries = again.Logs.Where(l => l.Entry is not null).ToList();
        Assert.NotEmpty(entries);
        Assert.All(entries, l => Assert.StartsWith("unchanged", l.Message));
    }

    private static (string?, bool) Meta(string yaml) => (BlueprintMetadata.Read(yaml).Name, BlueprintMetadata.Read(yaml).Instantiate);

    [Fact]
    public async Task Shipped_blueprints_are_authentik_version_1_with_names_and_only_the_minimal_one_is_instantiated()
    {
        Assert.Equal(("Example - Invitation-based Enrollment", false), Meta(app.ShippedBlueprint(Example)));
        Assert.Equal(("Example - Enrollment (2 Stage)", false), Meta(app.ShippedBlueprint(TwoStage)));
        Assert.Equal(("Default - Invitation enrollment (minimal)", true), Meta(app.ShippedBlueprint(Minimal)));
        foreach (var file in new[] { Example, TwoStage, Minimal }) Assert.StartsWith("version: 1\n", app.ShippedBlueprint(file)[app.ShippedBlueprint(file).IndexOf("version:", StringComparison.Ordinal)..]);
    }

    [Fact]
    public async Task Example_creates_three_flows_with_shared_stages_and_five_invitations()
    {
        await app.ImportCleanAsync(app.ShippedBlueprint(Example));

        await app.DbAsync(async db =>
        {
            var flows = await db.Flows.AsNoTracking().Include(f => f.Bindings).ThenInclude(b => b.Stage)
                .Where(f => f.Slug.StartsWith("invitation-enrollment-")).OrderBy(f => f.Slug).ToListAsync();
            Assert.Equal(["invitation-enrollment-engineering", "invitation-enrollment-external", "invitation-enrollment-internal"], flows.Select(f => f.Slug));
            foreach (var flow in flows)
            {
                Assert.Equal(FlowDesignation.Enrollment, flow.Designation);
                var stages = flow.Bindings.OrderBy(b => b.Order).Select(b => b.Stage.Name).ToList();
                Assert.Equal(["invitation-enrollment-invitation", "invitation-enrollment-credentials", "invitation-enrollment-details",
                    $"invitation-enrollment-write-{flow.Slug["invitation-enrollment-".Length..]}", "invitation-enrollment-login"], stages);
            }
            var credentials = await db.Set<PromptStage>().AsNoTracking().Include(s => s.Fields).SingleAsync(s => s.Name == "invitation-enrollment-credentials");
            Assert.Equal(["password", "password_repeat", "username"], credentials.Fields.Select(f => f.FieldKey).Order());
            var details = await db.Set<PromptStage>().AsNoTracking().Include(s => s.Fields).SingleAsync(s => s.Name == "invitation-enrollment-details");
            Assert.Equal(["email", "name"], details.Fields.Select(f => f.FieldKey).Order());

            var group = await db.Groups.AsNoTracking().SingleAsync(g => g.Name == "engineering-team");
            var writes = await db.Set<UserWriteStage>().AsNoTracking().Where(s => s.Name.StartsWith("invitation-enrollment-write-")).ToDictionaryAsync(s => s.Name);
            Assert.Equal((UserType.External, "users/external", (Guid?)null), Describe(writes["invitation-enrollment-write-external"]));
            Assert.Equal((UserType.Internal, "users/internal", (Guid?)null), Describe(writes["invitation-enrollment-write-internal"]));
            Assert.Equal((UserType.Internal, "users/internal/engineering", (Guid?)group.Id), Describe(writes["invitation-enrollment-write-engineering"]));

            var invitations = await db.Invitations.AsNoTracking().Include(i => i.Flow).Where(i => i.Name.StartsWith("example-")).OrderBy(i => i.Name).ToListAsync();
            Assert.Equal(5, invitations.Count);
            var far = new DateTime(2099, 12, 31, 23, 59, 59, DateTimeKind.Utc);
            Assert.Equal(
            [
                ("example-engineering-team", "invitation-enrollment-engineering", false, (DateTime?)far),
                ("example-external-basic", "invitation-enrollment-external", true, far),
                ("example-external-prefilled-email", "invitation-enrollment-external", true, far),
                ("example-internal-department-sales", "invitation-enrollment-internal", false, null),
                ("example-internal-prefilled", "invitation-enrollment-internal", true, far),
            ], invitations.Select(i => (i.Name, i.Flow!.Slug, i.SingleUse, i.Expires)));
        });

        static (UserType, string, Guid?) Describe(UserWriteStage s) => (s.UserType, s.UserPathTemplate, s.CreateUsersGroupId);
    }

    [Fact]
    public async Task Example_external_basic_invitation_enrolls_an_external_user()
    {
        var link = await ExampleLinkAsync("example-external-basic");
        using var client = app.NewClient();

        var (done, pages) = await WalkAsync(client, link, Fill("bp-ext-basic", "Ext Basic", "bp-ext-basic@example.com"));

        done.AssertRedirect("/if/user/");
        Assert.Equal(2, pages.Count); // credentials, then details
        await AssertUserAsync(app, "bp-ext-basic", "Ext Basic", "bp-ext-basic@example.com", "users/external", UserType.External, []);
    }

    [Fact]
    public async Task Example_external_invitation_prefills_the_email_the_user_gets()
    {
        var link = await ExampleLinkAsync("example-external-prefilled-email");
        using var client = app.NewClient();

        var (done, pages) = await WalkAsync(client, link, Fill("bp-partner", "Pat Partner"));

        done.AssertRedirect("/if/user/");
        Assert.Equal("partner@example.org", InputValue(pages[1], "email"));
        await AssertUserAsync(app, "bp-partner", "Pat Partner", "partner@example.org", "users/external", UserType.External, []);
    }

    [Fact]
    public async Task Example_internal_prefilled_invitation_gives_name_email_and_attributes()
    {
        var link = await ExampleLinkAsync("example-internal-prefilled");
        using var client = app.NewClient();

        var (done, pages) = await WalkAsync(client, link, Fill("bp-ines"));

        done.AssertRedirect("/if/user/");
        Assert.Equal(("Ines Internal", "ines@example.com"), (InputValue(pages[1], "name"), InputValue(pages[1], "email")));
        await AssertUserAsync(app, "bp-ines", "Ines Internal", "ines@example.com", "users/internal", UserType.Internal, [], """{"employee_id":"E-1017"}""");
        Assert.Equal("Welcome, Ines Internal", (await client.GetPageAsync("/if/user/")).QuerySelector("h1")!.TextContent.Trim());
    }

    [Fact]
    public async Task Example_department_invitation_serves_several_internal_users_with_the_department_attribute()
    {
        var link = await ExampleLinkAsync("example-internal-department-sales");
        foreach (var username in new[] { "bp-sales-1", "bp-sales-2", "bp-sales-3" })
        {
            using var client = app.NewClient();
            var (done, _) = await WalkAsync(client, link, Fill(username, $"Name of {username}", $"{username}@example.com"));
            done.AssertRedirect("/if/user/");
            await AssertUserAsync(app, username, $"Name of {username}", $"{username}@example.com", "users/internal", UserType.Internal, [], """{"department":"Sales"}""");
        }
        Assert.Equal(3, await app.DbAsync(db => db.Invitations.Where(i => i.Name == "example-internal-department-sales").Select(i => i.Uses).SingleAsync()));
    }

    [Fact]
    public async Task Example_engineering_invitation_puts_the_user_in_the_team_group_under_its_path()
    {
        var link = await ExampleLinkAsync("example-engineering-team");
        using var client = app.NewClient();

        var (done, _) = await WalkAsync(client, link, Fill("bp-eng", "Eng Ineer", "bp-eng@example.com"));

        done.AssertRedirect("/if/user/");
        await AssertUserAsync(app, "bp-eng", "Eng Ineer", "bp-eng@example.com", "users/internal/engineering", UserType.Internal,
            ["engineering-team"], """{"department":"Engineering"}""");
    }

    [Fact]
    public async Task Example_flows_refuse_a_visitor_without_invitation()
    {
        await app.ImportCleanAsync(app.ShippedBlueprint(Example));
        using var client = app.NewClient();
        var page = await client.GetPageAsync(FlowUrl("invitation-enrollment-internal"));
        Assert.NotNull(Denial(page));
        Assert.Null(page.QuerySelector("#flow-card form"));
    }

    [Fact]
    public async Task Two_stage_enrollment_enrolls_a_user_without_invitation_in_two_prompt_stages()
    {
        await app.ImportCleanAsync(app.ShippedBlueprint(TwoStage));
        using var client = app.NewClient();

        var (done, pages) = await WalkAsync(client, FlowUrl("default-enrollment-flow"), Fill("bp-two-stage", "Two Stage", "two@example.com"));

        done.AssertRedirect("/if/user/");
        Assert.Equal(2, pages.Count);
        Assert.NotNull(pages[0].QuerySelector("#flow-card [name=password_repeat]"));
        Assert.Null(pages[0].QuerySelector("#flow-card [name=email]"));
        Assert.NotNull(pages[1].QuerySelector("#flow-card [name=email]"));
        await AssertUserAsync(app, "bp-two-stage", "Two Stage", "two@example.com", "users", UserType.External, []);
    }

    [Fact]
    public async Task Minimal_blueprint_with_a_context_override_creates_that_flow_for_internal_users()
    {
        var context = new Dictionary<string, object?> { ["flow_slug"] = "staff-onboarding", ["flow_name"] = "Staff onboarding", ["user_type"] = "internal" };
        await app.ImportCleanAsync(app.ShippedBlueprint(Minimal), context);
        var flow = await app.DbAsync(db => db.Flows.AsNoTracking().Include(f => f.Bindings).ThenInclude(b => b.Stage).SingleAsync(f => f.Slug == "staff-onboarding"));
        Assert.Equal("Staff onboarding", flow.Name);
        Assert.Equal(["staff-onboarding-invitation", "staff-onboarding-prompt", "staff-onboarding-write", "staff-onboarding-login"],
            flow.Bindings.OrderBy(b => b.Order).Select(b => b.Stage.Name));
        var invitation = await InvitationAsync(app, "staff-one", flow.Id);
        using var client = app.NewClient();

        var (done, pages) = await WalkAsync(client, $"/if/flow/staff-onboarding/?itoken={invitation.Id}", Fill("bp-staff", "Sam Staff", "sam@example.com"));

        done.AssertRedirect("/if/user/");
        Assert.Single(pages);
        await AssertUserAsync(app, "bp-staff", "Sam Staff", "sam@example.com", "users/internal", UserType.Internal, []);
        // Without an invitation the flow stops (continue_flow_without_invitation defaults to false).
        using var stranger = app.NewClient();
        Assert.NotNull(Denial(await stranger.GetPageAsync(FlowUrl("staff-onboarding"))));
    }

    [Fact]
    public async Task Minimal_blueprint_can_let_visitors_in_without_invitation()
    {
        var context = new Dictionary<string, object?> { ["flow_slug"] = "open-signup", ["continue_flow_without_invitation"] = true };
        await app.ImportCleanAsync(app.ShippedBlueprint(Minimal), context);
        using var client = app.NewClient();

        var (done, _) = await WalkAsync(client, FlowUrl("open-signup"), Fill("bp-open", "Open Door", "open@example.com"));

        done.AssertRedirect("/if/user/");
        await AssertUserAsync(app, "bp-open", "Open Door", "open@example.com", "users/external", UserType.External, []);
    }

    [Fact]
    public async Task Example_internal_enrollment_checks_the_password_once_and_hashes_it_once()
    {
        var link = await ExampleLinkAsync("example-internal-department-sales");
        var factory = app.Services.GetRequiredService<IMeterFactory>();
        _ = app.Services.GetRequiredService<EnrollmentMetrics>();
        var recorded = new ConcurrentQueue<(string Instrument, KeyValuePair<string, object?>[] Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EnrollmentMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, _, tags, _) => recorded.Enqueue((i.Name, tags.ToArray())));
        listener.SetMeasurementEventCallback<double>((i, _, tags, _) => recorded.Enqueue((i.Name, tags.ToArray())));
        listener.Start();
        using var client = app.NewClient();

        var (done, _) = await WalkAsync(client, link, Fill("bp-once", "Once Only", "bp-once@example.com"));

        done.AssertRedirect("/if/user/");
        int Count(string instrument, string key, string value) =>
            recorded.Count(m => m.Instrument == instrument && m.Tags.Any(t => t.Key == key && Equals(t.Value, value)));
        // The credentials stage's two password fields: the default policy (zxcvbn) checks the first, once; one hash
        // serves both fields, and the user write stage stores it without hashing or checking again.
        Assert.Equal(1, Count("enrollment.policy.evaluations", "policy", PasswordPolicy.Default.Name));
        Assert.Equal(1, Count("enrollment.password.hash.duration", "operation", "hash"));
    }

    private async Task<string> ExampleLinkAsync(string invitationName)
    {
        await app.ImportCleanAsync(app.ShippedBlueprint(Example));
        var (id, slug) = await app.DbAsync(db => db.Invitations.Where(i => i.Name == invitationName).Select(i => new ValueTuple<Guid, string>(i.Id, i.Flow!.Slug)).SingleAsync());
        return $"/if/flow/{slug}/?itoken={id}";
    }
}
