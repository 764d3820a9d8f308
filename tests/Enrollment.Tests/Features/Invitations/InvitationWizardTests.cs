using System.Net;
using Enrollment.Domain;
using Enrollment.Features.Stages.Prompt;
using Enrollment.Features.Stages.UserWrite;
using Enrollment.Tests.Features.Api;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Invitations;

/// <summary>The invitation wizard, as a browser without JavaScript posts it.</summary>
public sealed class InvitationWizardTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private const string Wizard = "/if/admin/invitations/wizard/";

    private Task<int> StageCountAsync(string slug) => app.DbAsync(db => db.Stages.CountAsync(s => s.Name.StartsWith(slug + "-")));

    [Fact]
    public async Task A_new_flow_its_stages_and_the_invitation_in_one_step_and_the_link_enrolls_an_internal_user_in_the_group()
    {
        var p = ApiJsonClient.Unique("wiz");
        var group = await app.AddGroupAsync(p + "-team");
        using var admin = await app.AdminClientAsync();
        var form = await admin.GetPageAsync(Wizard);
        Assert.NotNull(form.QuerySelector("input[name='Input.Invitation.Expires']")?.GetAttribute("value")); // a week ahead by default

        var response = await admin.PostFormAsync(Wizard,
            ("Input.Mode", "new"), ("Input.FlowName", "Partners"), ("Input.FlowSlug", p), ("Input.UserType", "internal"),
            ("Input.UserPath", "users/partners"), ("Input.GroupId", group.Id.ToString()),
            ("Input.Invitation.Name", p + "-inv"), ("Input.Invitation.Expires", "2099-01-01T00:00"), ("Input.Invitation.MaxUses", "3"),
            ("Input.Addresses", $"{p}-a@example.com, {p}-b@example.com"));
        var invitation = await app.DbAsync(db => db.Invitations.AsNoTracking().Include(i => i.Flow).SingleAsync(i => i.Name == p + "-inv"));
        response.AssertRedirect($"/if/admin/invitations/{invitation.Id}/");
        Assert.Equal(p, invitation.Flow!.Slug);
        Assert.Equal(3, invitation.MaxUses);

        // The template: invitation, credentials, details, user write, user login, in that order.
        var kinds = await app.DbAsync(db => db.FlowStageBindings.AsNoTracking().Where(b => b.FlowId == invitation.FlowId).OrderBy(b => b.Order)
            .Select(b => EF.Property<string>(b.Stage, "kind")).ToListAsync());
        Assert.Equal(["invitation", "prompt", "prompt", "user_write", "user_login"], kinds);
        var write = await app.DbAsync(db => db.Stages.OfType<UserWriteStage>().AsNoTracking().SingleAsync(s => s.Name == p + "-write"));
        Assert.Equal((UserType.Internal, "users/partners", group.Id), (write.UserType, write.UserPathTemplate, write.CreateUsersGroupId));
        Assert.Equal(2, await app.DbAsync(db => db.InvitationDeliveries.CountAsync(d => d.InvitationId == invitation.Id)));

        // The result page shows the link and its QR code.
        var page = await admin.GetPageAsync($"/if/admin/invitations/{invitation.Id}/");
        Assert.Equal($"http://localhost/if/flow/{p}/?itoken={invitation.Id}", page.QuerySelector("#invitation-link")!.GetAttribute("value"));
        Assert.Equal("QR code of the invitation link", page.QuerySelector("svg[aria-label]")!.GetAttribute("aria-label"));

        using var invitee = app.NewClient();
        var (done, _) = await WalkAsync(invitee, $"/if/flow/{p}/?itoken={invitation.Id}", Answers(p + "-user").ToDictionary(a => a.Item1, a => a.Item2));
        done.AssertRedirect("/if/user/");
        var user = await app.DbAsync(db => db.Users.AsNoTracking().Include(u => u.Groups).SingleAsync(u => u.UserName == p + "-user"));
        Assert.Equal((UserType.Internal, "users/partners"), (user.Type, user.Path));
        Assert.Contains(user.Groups, g => g.Id == group.Id);
    }

    [Fact]
    public async Task A_second_run_with_the_same_slug_reuses_the_flow_and_its_stages()
    {
        var p = ApiJsonClient.Unique("again");
        using var admin = await app.AdminClientAsync();
        foreach (var name in new[] { "one", "two" })
        {
            var response = await admin.PostFormAsync(Wizard, ("Input.Mode", "new"), ("Input.FlowName", "Again"), ("Input.FlowSlug", p),
                ("Input.EmailVerification", "true"), ("Input.Invitation.Name", $"{p}-{name}"), ("Input.Invitation.Expires", "2099-01-01T00:00"));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }
        Assert.Equal(1, await app.DbAsync(db => db.Flows.CountAsync(f => f.Slug == p)));
        Assert.Equal(6, await StageCountAsync(p)); // with the email stage
        Assert.Equal(5, await app.DbAsync(db => db.Prompts.CountAsync(x => x.Name.StartsWith(p + "-"))));
        Assert.Equal(6, await app.DbAsync(db => db.FlowStageBindings.CountAsync(b => b.Flow.Slug == p)));
        Assert.Equal(2, await app.DbAsync(db => db.Invitations.CountAsync(i => i.Flow!.Slug == p)));
    }

    [Fact]
    public async Task An_existing_flow_can_be_chosen()
    {
        var p = ApiJsonClient.Unique("exist");
        var flow = await app.FlowAsync(p, withInvitationStage: true);
        using var admin = await app.AdminClientAsync();
        var response = await admin.PostFormAsync(Wizard, ("Input.Mode", "existing"), ("Input.ExistingFlowSlug", p), ("Input.Invitation.Name", p + "-inv"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(flow.Id, await app.DbAsync(db => db.Invitations.Where(i => i.Name == p + "-inv").Select(i => i.FlowId).SingleAsync()));
    }

    [Fact]
    public async Task A_bad_invitation_field_creates_nothing_not_even_the_flow()
    {
        var p = ApiJsonClient.Unique("atomic");
        using var admin = await app.AdminClientAsync();
        var response = await admin.PostFormAsync(Wizard, ("Input.Mode", "new"), ("Input.FlowName", "Atomic"), ("Input.FlowSlug", p),
            ("Input.Invitation.Name", p + "-inv"), ("Input.Invitation.Expires", "2001-01-01T00:00"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("in the past", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await app.DbAsync(db => db.Flows.CountAsync(f => f.Slug == p)));
        Assert.Equal(0, await StageCountAsync(p));
        Assert.Equal(0, await app.DbAsync(db => db.Invitations.CountAsync(i => i.Name == p + "-inv")));
    }

    [Theory]
    [InlineData("new", "", "x", "Name the new flow.")]
    [InlineData("new", "Flow", "", "Give the new flow a slug")]
    [InlineData("new", "Flow", "has space", "Use only letters, digits")]
    [InlineData("existing", "", "", "Choose the enrollment flow.")]
    public async Task Missing_or_bad_flow_fields_are_errors_next_to_them(string mode, string name, string slug, string message)
    {
        var p = ApiJsonClient.Unique("miss");
        using var admin = await app.AdminClientAsync();
        var response = await admin.PostFormAsync(Wizard, ("Input.Mode", mode), ("Input.FlowName", name), ("Input.FlowSlug", slug), ("Input.Invitation.Name", p));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        Assert.Equal(0, await app.DbAsync(db => db.Invitations.CountAsync(i => i.Name == p)));
    }

    [Fact]
    public async Task A_stage_name_taken_by_another_kind_is_refused_and_nothing_is_written()
    {
        var p = ApiJsonClient.Unique("clash");
        using var api = app.ApiClient();
        await api.PostAsync("/api/v3/stages/deny/", new StringContent($$"""{"name":"{{p}}-write"}""", System.Text.Encoding.UTF8, "application/json"));
        using var admin = await app.AdminClientAsync();
        var response = await admin.PostFormAsync(Wizard, ("Input.Mode", "new"), ("Input.FlowName", "Clash"), ("Input.FlowSlug", p), ("Input.Invitation.Name", p + "-inv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"A stage named “{p}-write” exists", System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        Assert.Equal(1, await StageCountAsync(p));
        Assert.Equal(0, await app.DbAsync(db => db.Flows.CountAsync(f => f.Slug == p)));
    }
}
