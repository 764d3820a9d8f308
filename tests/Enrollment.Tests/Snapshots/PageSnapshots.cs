using Enrollment.Domain;
using Enrollment.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Snapshooter.Xunit;

namespace Enrollment.Tests.Snapshots;

/// <summary>Pages a visitor sees before signing in.</summary>
public sealed class AnonymousPageSnapshots(AnonymousPageSnapshots.App app) : IClassFixture<AnonymousPageSnapshots.App>
{
    public sealed class App : EnrollmentApp;

    [Fact]
    public async Task Login_page()
    {
        using var client = app.NewClient();
        Snapshot.Match(await HtmlSnapshot.OfAsync(client, "/if/login/"));
    }
}

/// <summary>The admin interface on a database holding only what bootstrap made (the brand and akadmin).</summary>
public sealed class EmptyAdminSnapshots(EmptyAdminSnapshots.App app) : IClassFixture<EmptyAdminSnapshots.App>
{
    public sealed class App : EnrollmentApp
    {
        protected override IDictionary<string, string?> Settings => WithoutDefaultBlueprints;
    }

    [Fact]
    public async Task Admin_overview()
    {
        using var client = await app.AdminClientAsync();
        Snapshot.Match(await HtmlSnapshot.OfAsync(client, "/if/admin/"));
    }
}

/// <summary>
/// Admin pages over fixed data: two flows, the first with two bound stages and one invitation. Names sort the same on
/// every engine, and every date is fixed.
/// </summary>
public sealed class ArrangedAdminSnapshots(ArrangedAdminSnapshots.App app) : IClassFixture<ArrangedAdminSnapshots.App>
{
    public sealed class App : EnrollmentApp
    {
        protected override IDictionary<string, string?> Settings => WithoutDefaultBlueprints;
        private readonly SemaphoreSlim _gate = new(1, 1);
        private Guid? _invitationId;

        public async Task<Guid> EnsureArrangedAsync()
        {
            await _gate.WaitAsync();
            try
            {
                return _invitationId ??= await DbAsync(async db =>
                {
                    var admin = await db.Users.SingleAsync(u => u.UserName == "akadmin");
                    var alpha = new Flow { Name = "Alpha enrollment", Slug = "alpha-enrollment", Title = "Welcome to Alpha" };
                    var beta = new Flow { Name = "Beta enrollment", Slug = "beta-enrollment", Title = "Welcome to Beta" };
                    db.AddRange(alpha, beta,
                        new FlowStageBinding { Flow = alpha, Stage = new InvitationStage { Name = "alpha-invitation" }, Order = 10 },
                        new FlowStageBinding { Flow = alpha, Stage = new PromptStage { Name = "alpha-prompt" }, Order = 20, EvaluateOnPlan = true });
                    var invitation = new Invitation
                    {
                        Name = "alpha-team",
                        Flow = alpha,
                        Expires = new DateTime(2099, 1, 31, 17, 30, 0, DateTimeKind.Utc),
                        SingleUse = true,
                        CreatedById = admin.Id,
                        Created = new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Utc),
                        FixedData = new System.Text.Json.Nodes.JsonObject { ["email"] = "jane@example.com" },
                    };
                    db.Invitations.Add(invitation);
                    // One email sent and one refused, at fixed times, for the deliveries table.
                    var at = new DateTime(2024, 5, 1, 10, 5, 0, DateTimeKind.Utc);
                    db.InvitationDeliveries.AddRange(
                        new InvitationDelivery { Invitation = invitation, Email = "jane@example.com", BaseUrl = "http://localhost", State = DeliveryState.Sent,
                            Attempts = 1, LastAttempt = at, Sent = at, Created = at, RequestedById = admin.Id },
                        new InvitationDelivery { Invitation = invitation, Email = "gone@example.com", BaseUrl = "http://localhost", State = DeliveryState.Failed,
                            Attempts = 1, LastAttempt = at, LastError = "550 5.1.1 mailbox unavailable", Created = at.AddSeconds(-1), RequestedById = admin.Id });
                    await db.SaveChangesAsync();
                    return invitation.Id;
                });
            }
            finally { _gate.Release(); }
        }
    }

    [Fact]
    public async Task Flows_list_with_two_flows()
    {
        await app.EnsureArrangedAsync();
        using var client = await app.AdminClientAsync();
        Snapshot.Match(await HtmlSnapshot.OfAsync(client, "/if/admin/flows/"));
    }

    [Fact]
    public async Task Create_invitation_form()
    {
        await app.EnsureArrangedAsync();
        using var client = await app.AdminClientAsync();
        Snapshot.Match(await HtmlSnapshot.OfAsync(client, "/if/admin/invitations/new/"));
    }

    [Fact]
    public async Task Invitation_details()
    {
        var id = await app.EnsureArrangedAsync();
        using var client = await app.AdminClientAsync();
        Snapshot.Match(await HtmlSnapshot.OfAsync(client, $"/if/admin/invitations/{id}/"));
    }

    [Fact]
    public async Task Flow_stage_bindings_with_two_stages()
    {
        await app.EnsureArrangedAsync();
        using var client = await app.AdminClientAsync();
        Snapshot.Match(await HtmlSnapshot.OfAsync(client, "/if/admin/flows/alpha-enrollment/bindings/"));
    }
}
