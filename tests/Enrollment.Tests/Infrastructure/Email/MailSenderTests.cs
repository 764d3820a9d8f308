using Enrollment.Infrastructure.Email;
using Enrollment.Tests.Kit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using SmtpServer.Protocol;

namespace Enrollment.Tests.Infrastructure.Email;

/// <summary>The SMTP sender against a real SMTP server on loopback, and the pickup directory.</summary>
public sealed class MailSenderTests : IAsyncLifetime
{
    private readonly LoopbackSmtpServer _smtp = new();
    private readonly string _pickup = Path.Combine(Path.GetTempPath(), "enrollment-tests", "pickup-" + Guid.NewGuid().ToString("N"));
    private MailSender Sender => new(new MailPickupDirectory(_pickup), NullLogger<MailSender>.Instance);
    private SmtpSettings Smtp => new() { Host = "127.0.0.1", Port = _smtp.Port, Timeout = 5 };

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    private static MimeMessage Message(string to, string subject = "Hello")
    {
        var m = new MimeMessage();
        m.From.Add(MailboxAddress.Parse("enrollment@example.com"));
        m.To.Add(MailboxAddress.Parse(to));
        m.Subject = subject;
        m.Body = new TextPart("plain") { Text = "body" };
        return m;
    }

    [Fact]
    public async Task A_batch_goes_over_one_connection_and_every_message_arrives()
    {
        var results = await Sender.SendAsync(Smtp, [Message("a@example.com"), Message("b@example.com"), Message("c@example.com")], default);
        Assert.All(results, r => Assert.Equal(SendStatus.Sent, r.Status));
        var received = await _smtp.WaitForAsync(3);
        Assert.Equal(["a@example.com", "b@example.com", "c@example.com"], received.Select(m => m.To.Mailboxes.Single().Address).Order());
    }

    [Fact]
    public async Task A_permanent_refusal_fails_that_message_only_and_keeps_the_reason()
    {
        _smtp.Answer = m => m.To.Mailboxes.Single().Address == "gone@example.com"
            ? new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "mailbox gone")
            : SmtpResponse.Ok;
        var results = await Sender.SendAsync(Smtp, [Message("a@example.com"), Message("gone@example.com"), Message("c@example.com")], default);
        Assert.Equal([SendStatus.Sent, SendStatus.PermanentFailure, SendStatus.Sent], results.Select(r => r.Status));
        Assert.Contains("550", results[1].Error);
        Assert.Contains("mailbox gone", results[1].Error);
        await _smtp.WaitForAsync(2);
    }

    [Fact]
    public async Task A_transient_refusal_is_reported_as_transient()
    {
        _smtp.Answer = _ => new SmtpResponse((SmtpReplyCode)451, "try later");
        var results = await Sender.SendAsync(Smtp, [Message("a@example.com")], default);
        Assert.Equal(SendStatus.TransientFailure, results.Single().Status);
        Assert.Contains("451", results.Single().Error);
    }

    [Fact]
    public async Task No_server_listening_fails_every_message_transiently()
    {
        var down = Smtp with { Port = LoopbackSmtpServer.FreePort() };
        var results = await Sender.SendAsync(down, [Message("a@example.com"), Message("b@example.com")], default);
        Assert.All(results, r => Assert.Equal(SendStatus.TransientFailure, r.Status));
        Assert.All(results, r => Assert.False(string.IsNullOrEmpty(r.Error)));
    }

    [Fact]
    public async Task Without_a_host_messages_are_written_as_eml_files()
    {
        var results = await Sender.SendAsync(new SmtpSettings(), [Message("a@example.com", "First"), Message("b@example.com", "Second")], default);
        Assert.All(results, r => Assert.Equal(SendStatus.Sent, r.Status));
        var files = Directory.GetFiles(_pickup, "*.eml");
        Assert.Equal(2, files.Length);
        Assert.Empty(Directory.GetFiles(_pickup, "*.tmp"));
        var subjects = files.Select(f => MimeMessage.Load(f).Subject).Order();
        Assert.Equal(["First", "Second"], subjects);
    }

    [Theory]
    [InlineData("")]
    [InlineData("plainaddress")]
    [InlineData("@example.com")]
    [InlineData("a@")]
    [InlineData("a@b@example.com")]
    [InlineData("a@example.com\r\nBcc: victim@example.com")]
    [InlineData("a@example.com\nX-Injected: 1")]
    [InlineData("Eve <eve@example.com>")]
    [InlineData("a@example.com, b@example.com")]
    [InlineData("a b@example.com")]
    public void Bad_addresses_are_refused_with_a_message(string value)
    {
        Assert.False(EmailAddresses.TryParse(value, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData("a@example.com")]
    [InlineData("first.last+tag@sub.example.co.uk")]
    [InlineData("  padded@example.com  ")]
    public void Good_addresses_are_accepted(string value)
    {
        Assert.True(EmailAddresses.TryParse(value, out var address, out _));
        Assert.Equal(value.Trim(), address.Address);
    }
}
