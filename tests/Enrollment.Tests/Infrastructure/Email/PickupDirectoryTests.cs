using Enrollment.Domain;
using Enrollment.Tests.Kit;
using MimeKit;
using static Enrollment.Tests.Kit.EmailKit;
using static Enrollment.Tests.Kit.FlowKit;
using static Enrollment.Tests.Kit.InvitationPages;

namespace Enrollment.Tests.Infrastructure.Email;

/// <summary>A fresh install has no SMTP host: invitation emails are written as .eml files to <c>&lt;DataDirectory&gt;/mail</c>.</summary>
public sealed class PickupDirectoryTests(Hosts.WithPickupDirectoryAndJobs app) : IClassFixture<Hosts.WithPickupDirectoryAndJobs>
{
    [Fact]
    public async Task Without_an_smtp_host_the_email_is_an_eml_file_in_the_data_directorys_mail_folder()
    {
        var setup = await GuideFlowAsync(app, "mail-pickup");
        var invitation = await setup.InviteAsync(app, "mail-pickup-inv");
        using var admin = await app.AdminClientAsync();

        (await admin.SendFromPageAsync(invitation.Id, "pickup@example.com")).AssertRedirect(DetailsUrl(invitation.Id));
        var delivery = await app.WaitForStateAsync((await app.DeliveryAsync(invitation.Id, "pickup@example.com")).Id, DeliveryState.Sent, attempts: 1);

        var file = Assert.Single(Directory.GetFiles(app.MailDirectory, "*.eml"));
        Assert.Empty(Directory.GetFiles(app.MailDirectory, "*.tmp"));
        var message = await MimeMessage.LoadAsync(file);
        Assert.Equal("You have been invited to localhost", message.Subject);
        Assert.Equal("enrollment@localhost", message.From.Mailboxes.Single().Address); // the default Email:From
        Assert.Equal(["pickup@example.com"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Contains($"http://localhost/if/flow/mail-pickup/?itoken={invitation.Id}", message.TextBody);
        Assert.Contains($"href=\"http://localhost/if/flow/mail-pickup/?itoken={invitation.Id}\"", message.HtmlBody);
        Assert.NotNull(delivery.Sent);
        Assert.Equal("Sent", State(Row(await admin.GetPageAsync(DetailsUrl(invitation.Id)), "pickup@example.com")));
    }
}
