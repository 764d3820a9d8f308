using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Kit.Snapshots;

/// <summary>
/// Admin pages over fixed data, for the snapshots of the flows and invitations pages: two flows, the first with two
/// bound stages and one invitation with two deliveries. Names sort the same on every engine, and every date is
/// fixed. The snapshot classes share one host (this collection's), and the data is arranged once.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ArrangedAdmin : ICollectionFixture<Hosts.WithoutDefaultBlueprints>
{
    public const string Name = "arranged admin pages";

    /// <summary>Arranges the data the first time a snapshot asks for it; returns the invitation's id.</summary>
    public static Task<Guid> ArrangeAsync(EnrollmentApp app) => app.ArrangeOnceAsync(Name, () => app.DbAsync(async db =>
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
    }));
}
