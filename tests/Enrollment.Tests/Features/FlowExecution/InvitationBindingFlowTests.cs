using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.FlowExecution;

/// <summary>
/// Enrollments with an invitation that binds its users: the groups they join, the one address they must use (pre-filled,
/// read-only, refused when changed, verified, not mailed again by an email stage) and the domains they must be in.
/// </summary>
public sealed class InvitationBindingFlowTests(Hosts.WithSmtp app) : IClassFixture<Hosts.WithSmtp>
{
    private async Task<Invitation> BindAsync(Invitation invitation, string? email = null, IEnumerable<string>? domains = null, IEnumerable<Group>? groups = null)
    {
        await app.DbAsync(async db =>
        {
            var i = await db.Invitations.Include(x => x.Groups).SingleAsync(x => x.Id == invitation.Id);
            i.Email = email;
            i.EmailDomains = domains?.ToList() ?? [];
            foreach (var g in groups ?? []) i.Groups.Add(new InvitationGroup { InvitationId = i.Id, GroupId = g.Id });
            await db.SaveChangesAsync();
        });
        return invitation;
    }

    private Task<User> UserWithGroupsAsync(string username) =>
        app.DbAsync(db => db.Users.AsNoTracking().Include(u => u.Groups).SingleAsync(u => u.UserName == username));

    private Task<bool> UserExistsAsync(string username) => app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == username));

    [Fact]
    public async Task Users_join_the_invitations_groups_besides_the_stages_group()
    {
        const string slug = "bind-groups";
        var stageGroup = await GroupAsync(app, $"{slug}-stage");
        var (red, blue) = (await GroupAsync(app, $"{slug}-red"), await GroupAsync(app, $"{slug}-blue"));
        var setup = await GuideFlowAsync(app, slug, group: stageGroup);
        var invitation = await BindAsync(await setup.InviteAsync(app, slug), groups: [red, blue]);
        using var client = app.NewClient();

        await client.EnrollToTheEndAsync(setup.Link(invitation), Answers($"{slug}-ann"));

        var user = await UserWithGroupsAsync($"{slug}-ann");
        Assert.Equal([$"{slug}-blue", $"{slug}-red", $"{slug}-stage"], user.Groups.Select(g => g.Name).Order());
        Assert.Equal(1, await UsesAsync(app, invitation.Id));
    }

    [Fact]
    public async Task A_group_deleted_after_the_invitation_was_made_is_skipped_and_recorded()
    {
        const string slug = "bind-gone";
        var (kept, gone) = (await GroupAsync(app, $"{slug}-kept"), await GroupAsync(app, $"{slug}-gone"));
        var setup = await GuideFlowAsync(app, slug);
        var invitation = await BindAsync(await setup.InviteAsync(app, slug), groups: [kept, gone]);
        await app.DbAsync(db => db.Groups.Where(g => g.Id == gone.Id).ExecuteDeleteAsync());
        using var client = app.NewClient();

        await client.EnrollToTheEndAsync(setup.Link(invitation), Answers($"{slug}-bo"));

        var user = await UserWithGroupsAsync($"{slug}-bo");
        Assert.Equal([$"{slug}-kept"], user.Groups.Select(g => g.Name));
        var warning = await app.DbAsync(db => db.Events.AsNoTracking().Where(e => e.Action == "configuration_warning").ToListAsync())
            .ContinueWith(t => t.Result.Single(e => (string?)e.Context["invitation"] == invitation.Id.ToString()));
        Assert.Equal(gone.Id.ToString(), (string?)warning.Context["group"]);
        Assert.Contains("no longer exists", (string?)warning.Context["message"]);
    }

    [Fact]
    public async Task The_bound_address_is_prefilled_read_only_and_the_user_has_it_verified()
    {
        const string slug = "bind-email";
        var setup = await GuideFlowAsync(app, slug);
        // Fixed data naming another address does not win over the binding.
        var invitation = await BindAsync(await setup.InviteAsync(app, slug, fixedData: new() { ["email"] = "other@example.com" }), email: "Jane.Doe@Example.com");
        using var client = app.NewClient();

        var page = await client.GetPageAsync(setup.Link(invitation));
        var field = Control(page, "email");
        Assert.Equal("Jane.Doe@Example.com", field.GetAttribute("value"));
        Assert.True(field.HasAttribute("readonly"));
        // The same address in another case and with spaces is the same address.
        var posted = await client.SubmitAsync(setup.Link(invitation), page, Answers($"{slug}-jane", email: "  jane.doe@example.com "));
        posted.AssertRedirect("/if/user/");

        var user = await UserWithGroupsAsync($"{slug}-jane");
        Assert.Equal("Jane.Doe@Example.com", user.Email);
        Assert.Equal(true, (bool?)user.Attributes["email_verified"]);
    }

    [Fact]
    public async Task Another_address_posted_past_the_read_only_field_is_refused_and_nothing_is_written()
    {
        const string slug = "bind-forged";
        var setup = await GuideFlowAsync(app, slug);
        var invitation = await BindAsync(await setup.InviteAsync(app, slug), email: "invited@example.com");
        using var client = app.NewClient();

        var page = await client.GetPageAsync(setup.Link(invitation));
        var answer = await client.SubmitAsync(setup.Link(invitation), page, Answers($"{slug}-mallory", email: "mallory@example.com"));

        var shown = await PageOf(answer);
        Assert.Equal(InvitationAddresses.WrongAddress, shown.QuerySelector("#field-email-error")?.TextContent.Trim());
        Assert.Equal("invited@example.com", Control(shown, "email").GetAttribute("value"));
        Assert.False(await UserExistsAsync($"{slug}-mallory"));
        Assert.Equal(0, await UsesAsync(app, invitation.Id));
    }

    /// <summary>A flow without an email prompt: the bound address comes from the invitation and is what the user gets.</summary>
    [Fact]
    public async Task A_flow_without_an_email_prompt_gives_the_user_the_bound_address()
    {
        const string slug = "bind-noprompt";
        var (flow, _) = await FlowAsync(app, slug, [new InvitationStage { Name = $"{slug}-invitation" },
            PromptStageOf($"{slug}-account", Field(slug, "username", PromptType.Username), Field(slug, "password", PromptType.Password, 1)),
            new UserWriteStage { Name = $"{slug}-write", UserType = UserType.Internal }, new UserLoginStage { Name = $"{slug}-login" }]);
        var invitation = await BindAsync(await InvitationAsync(app, slug, flow.Id), email: "np@example.com");
        using var client = app.NewClient();

        await client.EnrollToTheEndAsync($"/if/flow/{slug}/?itoken={invitation.Id}", ("username", $"{slug}-nick"), ("password", Password));

        var user = await UserWithGroupsAsync($"{slug}-nick");
        Assert.Equal("np@example.com", user.Email);
        Assert.Equal(true, (bool?)user.Attributes["email_verified"]);
    }

    /// <summary>
    /// An address that reaches the user write without passing an email prompt (here from the invitation's fixed data,
    /// in a flow that asks for no email) is checked there: refused with the same message, nothing written, not used.
    /// </summary>
    [Fact]
    public async Task The_user_write_refuses_an_address_outside_the_domains_that_came_from_elsewhere()
    {
        const string slug = "bind-late";
        var (flow, _) = await FlowAsync(app, slug, [new InvitationStage { Name = $"{slug}-invitation" },
            PromptStageOf($"{slug}-account", Field(slug, "username", PromptType.Username), Field(slug, "password", PromptType.Password, 1)),
            new UserWriteStage { Name = $"{slug}-write", UserType = UserType.Internal }, new UserLoginStage { Name = $"{slug}-login" }]);
        var invitation = await BindAsync(await InvitationAsync(app, slug, flow.Id, fixedData: new() { ["email"] = "lou@elsewhere.net" }), domains: ["example.com"]);
        using var client = app.NewClient();

        var denied = await client.EnrollAsync($"/if/flow/{slug}/?itoken={invitation.Id}", ("username", $"{slug}-lou"), ("password", Password));

        AssertDenied(await PageOf(denied), InvitationAddresses.WrongDomain(["example.com"]));
        Assert.False(await UserExistsAsync($"{slug}-lou"));
        Assert.Equal(0, await UsesAsync(app, invitation.Id));
    }

    [Theory]
    [InlineData("ann@example.com", true)]
    [InlineData("ann@eu.example.com", true)]
    [InlineData("Ann@EXAMPLE.COM", true)]
    [InlineData("ann@Example.Org", true)]
    [InlineData("ann@badexample.com", false)]
    [InlineData("ann@example.com.evil.net", false)]
    [InlineData("ann@example.net", false)]
    public async Task Email_domains_admit_their_domains_and_subdomains_in_any_case(string address, bool admitted)
    {
        var slug = $"bind-dom-{Math.Abs(address.GetHashCode()) % 100000}-{address.Length}";
        var setup = await GuideFlowAsync(app, slug);
        var invitation = await BindAsync(await setup.InviteAsync(app, slug, singleUse: false), domains: ["example.com", "example.org"]);
        using var client = app.NewClient();

        var page = await client.GetPageAsync(setup.Link(invitation));
        Assert.False(Control(page, "email").HasAttribute("readonly"));
        var answer = await client.SubmitAsync(setup.Link(invitation), page, Answers($"{slug}-u", email: address));

        if (admitted)
        {
            answer.AssertRedirect("/if/user/");
            var user = await UserWithGroupsAsync($"{slug}-u");
            Assert.Equal(address, user.Email);
            Assert.Null(user.Attributes["email_verified"]); // a domain proves nothing about the address
        }
        else
        {
            var shown = await PageOf(answer);
            Assert.Equal(InvitationAddresses.WrongDomain(["example.com", "example.org"]), shown.QuerySelector("#field-email-error")?.TextContent.Trim());
            Assert.False(await UserExistsAsync($"{slug}-u"));
        }
    }

    /// <summary>invitation → prompts → email stage (verify before writing) → user write → login.</summary>
    private async Task<string> EmailStageFlowAsync(string slug, string? boundEmail)
    {
        var email = new EmailStage
        {
            Name = $"{slug}-email", UseGlobalSettings = true, Host = "smtp.invalid", Subject = $"Confirm ({slug})", ActivateUserOnSuccess = true,
        };
        var (flow, _) = await FlowAsync(app, slug, [new InvitationStage { Name = $"{slug}-invitation" }, AccountPrompts(slug), email,
            new UserWriteStage { Name = $"{slug}-write", CreateUsersAsInactive = true, UserType = UserType.Internal }, new UserLoginStage { Name = $"{slug}-login" }]);
        var invitation = await BindAsync(await InvitationAsync(app, slug, flow.Id), email: boundEmail);
        return $"/if/flow/{slug}/?itoken={invitation.Id}";
    }

    [Fact]
    public async Task An_email_stage_is_skipped_for_the_bound_address()
    {
        const string slug = "bind-mail-skip";
        var link = await EmailStageFlowAsync(slug, "Skip.Me@example.com");
        using var client = app.NewClient();

        await client.EnrollToTheEndAsync(link, Answers($"{slug}-sam", email: "Skip.Me@example.com"));

        Assert.DoesNotContain(app.Smtp.Messages, m => m.To.Mailboxes.Any(x => x.Address.Equals("Skip.Me@example.com", StringComparison.OrdinalIgnoreCase)));
        var user = await UserWithGroupsAsync($"{slug}-sam");
        Assert.True(user.IsActive); // the stage's activate_user_on_success applies as if the link had been opened
    }

    [Fact]
    public async Task An_email_stage_is_not_skipped_for_an_invitation_without_a_bound_address()
    {
        const string slug = "bind-mail-send";
        var link = await EmailStageFlowAsync(slug, null);
        using var client = app.NewClient();

        var waiting = await client.EnrollAsync(link, Answers($"{slug}-tom", email: "tom-mail-send@example.com"));

        Assert.Equal(HttpStatusCode.OK, waiting.StatusCode);
        Assert.Single(app.Smtp.Messages, m => m.To.Mailboxes.Any(x => x.Address == "tom-mail-send@example.com"));
        Assert.False(await UserExistsAsync($"{slug}-tom"));
    }

    /// <summary>The email stage mails an address other than the bound one (an expression overriding <c>email</c> in the plan, say).</summary>
    [Fact]
    public async Task An_email_stage_is_not_skipped_for_an_address_other_than_the_bound_one()
    {
        const string slug = "bind-mail-other";
        var link = await EmailStageFlowAsync(slug, "bound-other@example.com");
        using var client = app.NewClient();
        var page = await client.GetPageAsync(link);
        await client.SubmitAsync(FlowPath(link), page, Answers($"{slug}-una", email: "bound-other@example.com")).ContinueWith(t => t.Result.AssertRedirect(FlowPath(link)));
        // The plan's context `email` overrides where the stage writes (authentik's order); point it elsewhere.
        await app.DbAsync(async db =>
        {
            var plan = await db.FlowPlans.SingleAsync(p => p.Flow.Slug == slug);
            var context = plan.Context.DeepClone().AsObject();
            context["email"] = "elsewhere@example.com";
            plan.Context = context;
            await db.SaveChangesAsync();
        });

        var waiting = await client.GetPageAsync(FlowPath(link));

        Assert.NotNull(waiting.QuerySelector("#flow-card"));
        Assert.Single(app.Smtp.Messages, m => m.To.Mailboxes.Any(x => x.Address == "elsewhere@example.com"));
        Assert.False(await UserExistsAsync($"{slug}-una"));
    }
}
