using System.Net;
using Enrollment.Domain;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Invitations;

/// <summary>An invitation outlives its creator's deactivation and loss of admin rights, and goes with the creator's deletion.</summary>
[Collection(InvitationsCollection.Name)]
public sealed class InvitationCreatorTests(Hosts.Default app)
{
    private const string CreatorPassword = "Creator-Tulip-Glacier-58!";

    // ---- the creator ----

    private async Task<int> CreateAdminAsync(string username)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var db = scope.ServiceProvider.GetRequiredService<Enrollment.Infrastructure.Data.AppDbContext>();
        var user = new User { UserName = username, Name = $"{username} Person", Email = $"{username}@example.com" };
        user.Groups.Add(await db.Groups.SingleAsync(g => g.Name == Bootstrap.AdminGroup));
        var result = await users.CreateAsync(user, CreatorPassword);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return user.Id;
    }

    /// <summary>A second admin signs in and creates an invitation through the form, so it is theirs.</summary>
    private async Task<(GuideFlow Setup, Invitation Invitation, int CreatorId)> InvitationByCreatorAsync(string slug)
    {
        var setup = await GuideFlowAsync(app, slug);
        var creatorId = await CreateAdminAsync($"{slug}-creator");
        using var creator = app.NewClient();
        await creator.LoginAsync($"{slug}-creator", CreatorPassword);
        var response = await creator.PostFormAsync("/if/admin/invitations/new/", ("Input.Name", $"{slug}-inv"), ("Input.FlowSlug", slug));
        response.AssertRedirect("/if/admin/invitations/");
        var invitation = await app.DbAsync(db => db.Invitations.AsNoTracking().SingleAsync(i => i.Name == $"{slug}-inv"));
        Assert.Equal(creatorId, invitation.CreatedById);
        return (setup, invitation, creatorId);
    }

    [Fact]
    public async Task An_invitation_stays_valid_when_its_creator_is_deactivated()
    {
        var (setup, invitation, creatorId) = await InvitationByCreatorAsync("lc-deact");
        using var admin = await app.AdminClientAsync();
        (await admin.PostFormAsync($"/if/admin/users/{creatorId}/deactivate/")).AssertRedirect($"/if/admin/users/{creatorId}/");
        Assert.False(await app.DbAsync(db => db.Users.Where(u => u.Id == creatorId).Select(u => u.IsActive).SingleAsync()));

        Assert.True(await InvitationExistsAsync(app, invitation.Id));
        using var invitee = app.NewClient();
        await invitee.EnrollToTheEndAsync(setup.Link(invitation), Answers("lc-deact-invitee"));
        Assert.NotNull(await UserAsync(app, "lc-deact-invitee"));
    }

    [Fact]
    public async Task An_invitation_stays_valid_when_its_creator_loses_admin_rights()
    {
        var (setup, invitation, creatorId) = await InvitationByCreatorAsync("lc-demote");
        await app.DbAsync(async db =>
        {
            var creator = await db.Users.Include(u => u.Groups).SingleAsync(u => u.Id == creatorId);
            creator.Groups.Clear();
            await db.SaveChangesAsync();
        });
        // The creator is no admin any more…
        using var creatorClient = app.NewClient();
        await creatorClient.LoginAsync("lc-demote-creator", CreatorPassword);
        var adminPage = await creatorClient.Http.GetAsync("/if/admin/invitations/");
        Assert.NotEqual(HttpStatusCode.OK, adminPage.StatusCode);

        // …and their invitation still works.
        using var invitee = app.NewClient();
        await invitee.EnrollToTheEndAsync(setup.Link(invitation), Answers("lc-demote-invitee"));
        Assert.NotNull(await UserAsync(app, "lc-demote-invitee"));
    }

    [Fact]
    public async Task An_invitation_is_deleted_with_its_creator()
    {
        var (setup, invitation, creatorId) = await InvitationByCreatorAsync("lc-gone");
        var other = await setup.InviteAsync(app, "lc-gone-not-theirs");
        using var admin = await app.AdminClientAsync();

        var confirm = await admin.GetPageAsync($"/if/admin/users/{creatorId}/delete/");
        Assert.Contains("1 invitation(s) they created", confirm.QuerySelector(".card")!.TextContent);
        (await admin.PostFormAsync($"/if/admin/users/{creatorId}/delete/")).AssertRedirect("/if/admin/users/");

        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.Id == creatorId)));
        Assert.False(await InvitationExistsAsync(app, invitation.Id));
        Assert.True(await InvitationExistsAsync(app, other.Id)); // created by nobody: untouched
        using var invitee = app.NewClient();
        AssertDenied(await invitee.GetPageAsync(setup.Link(invitation)), InvitationMessages.Unknown);
    }
}
