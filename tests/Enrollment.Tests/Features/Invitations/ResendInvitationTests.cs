using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.EmailKit;
using static Enrollment.Tests.Kit.InvitationPages;

namespace Enrollment.Tests.Features.Invitations;

/// <summary><c>/if/admin/invitations/{id}/deliveries/{delivery}/resend/</c>: a failed or retrying email put back in the queue, once, and never for an expired invitation.</summary>
[Collection(SendInvitationCollection.Name)]
public sealed class ResendInvitationTests(Hosts.Default app)
{
    [Fact]
    public async Task Resend_has_a_confirmation_page_resets_the_delivery_enqueues_it_once_and_says_when_it_is_already_queued()
    {
        var invitation = await SendableInvitationAsync(app, "resend-page");
        var delivery = await ArrangeDeliveryAsync(app, invitation, "retry.me@example.com", DeliveryState.Retrying, "421 4.3.2 try later");
        using var admin = await app.AdminClientAsync();
        var url = ResendUrl(invitation.Id, delivery.Id);

        // Without JavaScript the GET asks first.
        var confirm = await admin.GetPageAsync(url);
        Assert.Equal("Resend invitation “resend-page-inv” to retry.me@example.com?", confirm.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains("421 4.3.2 try later", confirm.QuerySelector(".card")!.TextContent);
        Assert.Equal(delivery, await app.DbAsync(db => db.InvitationDeliveries.AsNoTracking().SingleAsync(d => d.Id == delivery.Id)), DeliveryComparer.StateOnly);

        var admin1 = await app.DbAsync(db => db.Users.SingleAsync(u => u.UserName == "akadmin"));
        var jobs = app.EnqueuedDeliveryJobs().Count;
        (await admin.PostFormAsync(url)).AssertRedirect(DetailsUrl(invitation.Id));
        var reset = await app.DbAsync(db => db.InvitationDeliveries.AsNoTracking().SingleAsync(d => d.Id == delivery.Id));
        Assert.Equal(DeliveryState.Queued, reset.State);
        Assert.Equal(0, reset.Attempts);
        Assert.Null(reset.LastError);
        Assert.Null(reset.NextAttempt);
        Assert.Equal(admin1.Id, reset.RequestedById);
        Assert.Equal(jobs + 1, app.EnqueuedDeliveryJobs().Count);
        Assert.Contains(app.EnqueuedDeliveryJobs(), b => b.SequenceEqual([delivery.Id]));
        var details = await admin.GetPageAsync(DetailsUrl(invitation.Id));
        Assert.Equal("The invitation email to retry.me@example.com is queued again.", details.QuerySelector(".flash")!.TextContent.Trim());
        Assert.Null(Row(details, "retry.me@example.com").QuerySelector("form")); // queued: no second Resend

        // A second click (an old page) does not queue it twice.
        (await admin.PostFormAsync(url)).AssertRedirect(DetailsUrl(invitation.Id));
        Assert.Equal(jobs + 1, app.EnqueuedDeliveryJobs().Count);
        Assert.Equal("The email to retry.me@example.com is already queued.", (await admin.GetPageAsync(DetailsUrl(invitation.Id))).QuerySelector(".flash")!.TextContent.Trim());
        Assert.Contains("The email is already queued", (await admin.GetPageAsync(url)).QuerySelector(".card")!.TextContent);
    }

    [Fact]
    public async Task Resend_is_refused_once_the_invitation_expired_and_unknown_deliveries_are_404()
    {
        var invitation = await SendableInvitationAsync(app, "resend-expired");
        var other = await SendableInvitationAsync(app, "resend-other");
        var delivery = await ArrangeDeliveryAsync(app, invitation, "late.resend@example.com", DeliveryState.Failed, "550 no");
        await app.DbAsync(db => db.Invitations.Where(i => i.Id == invitation.Id).ExecuteUpdateAsync(u => u.SetProperty(i => i.Expires, DateTime.UtcNow.AddSeconds(-1))));
        using var admin = await app.AdminClientAsync();
        var jobs = app.EnqueuedDeliveryJobs().Count;

        var details = await admin.GetPageAsync(DetailsUrl(invitation.Id));
        Assert.Null(Row(details, "late.resend@example.com").QuerySelector("form")); // nothing offered
        var url = ResendUrl(invitation.Id, delivery.Id);
        Assert.Equal("This invitation has expired; its link would not work. Create a new invitation.", (await admin.GetPageAsync(url)).QuerySelector(".warning")!.TextContent.Trim());
        (await admin.PostFormAsync(DetailsUrl(invitation.Id), [], url)).AssertRedirect(DetailsUrl(invitation.Id));
        Assert.Equal("Not resent to late.resend@example.com: This invitation has expired; its link would not work. Create a new invitation.",
            (await admin.GetPageAsync(DetailsUrl(invitation.Id))).QuerySelector(".flash")!.TextContent.Trim());
        Assert.Equal(DeliveryState.Failed, (await app.DeliveryAsync(invitation.Id, "late.resend@example.com")).State);
        Assert.Equal(jobs, app.EnqueuedDeliveryJobs().Count);

        // A delivery of another invitation, or none at all.
        await admin.GetPageAsync(ResendUrl(other.Id, delivery.Id), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostFormAsync(DetailsUrl(invitation.Id), [], ResendUrl(other.Id, delivery.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostFormAsync(DetailsUrl(invitation.Id), [], ResendUrl(invitation.Id, Guid.NewGuid()))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Http.PostAsync(url, new FormUrlEncodedContent([]))).StatusCode); // no antiforgery token
        Assert.Equal(jobs, app.EnqueuedDeliveryJobs().Count);
    }

    private sealed class DeliveryComparer : IEqualityComparer<InvitationDelivery>
    {
        public static readonly DeliveryComparer StateOnly = new();
        public bool Equals(InvitationDelivery? a, InvitationDelivery? b) =>
            a?.State == b?.State && a?.Attempts == b?.Attempts && a?.LastError == b?.LastError;
        public int GetHashCode(InvitationDelivery d) => d.State.GetHashCode();
    }
}
