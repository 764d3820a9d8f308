using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Enrollment.Infrastructure.Email;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Infrastructure.Email;

/// <summary>
/// SMTP uses STARTTLS whenever the server offers it, unless <c>Email:UseTls=false</c> says otherwise; once started, TLS
/// must succeed — an untrusted certificate fails the delivery instead of falling back to plaintext.
/// </summary>
public sealed class StartTlsTests
{
    /// <summary>An SMTP server on loopback, offering STARTTLS with a self-signed certificate or not at all; it records the commands it got.</summary>
    private sealed class Server : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _running;

        public int Port { get; } = LoopbackSmtpServer.FreePort();
        public ConcurrentQueue<string> Commands { get; } = new();
        public ConcurrentQueue<(MimeMessage Message, bool OverTls)> Received { get; } = new();

        public Server(bool offerStartTls)
        {
            var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e =>
            {
                e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port));
                if (offerStartTls) e.Certificate(SelfSigned());
            }).Build();
            var services = new ServiceProvider();
            services.Add(new Store(this));
            var server = new SmtpServer.SmtpServer(options, services);
            server.SessionCreated += (_, session) => session.Context.CommandExecuting += (_, command) => Commands.Enqueue(command.Command.Name);
            _running = server.StartAsync(_stop.Token);
        }

        private static X509Certificate2 SelfSigned()
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            try { await _running; } catch (OperationCanceledException) { }
            _stop.Dispose();
        }

        private sealed class Store(Server owner) : MessageStore
        {
            public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
            {
                await using var stream = new MemoryStream(buffer.ToArray());
                owner.Received.Enqueue((await MimeMessage.LoadAsync(stream, cancellationToken), context.Pipe.IsSecure));
                return SmtpResponse.Ok;
            }
        }
    }

    private static SmtpSettings Settings(int port, string? useTls)
    {
        var values = new Dictionary<string, string?> { ["Email:Host"] = "127.0.0.1", ["Email:Port"] = port.ToString(), ["Email:Timeout"] = "5" };
        if (useTls is not null) values["Email:UseTls"] = useTls;
        return SmtpSettings.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }

    private static MimeMessage Message()
    {
        var m = new MimeMessage();
        m.From.Add(MailboxAddress.Parse("enrollment@example.com"));
        m.To.Add(MailboxAddress.Parse("ann@example.com"));
        m.Subject = "Your invitation";
        m.Body = new TextPart("plain") { Text = "http://localhost/if/flow/x/?itoken=secret" };
        return m;
    }

    private static MailSender Sender() => new(new MailPickupDirectory(Path.GetTempPath()), NullLogger<MailSender>.Instance);

    [Fact]
    public async Task Offered_starttls_is_used_by_default_and_an_untrusted_certificate_fails_instead_of_sending_in_plaintext()
    {
        await using var server = new Server(offerStartTls: true);
        var result = Assert.Single(await Sender().SendAsync(Settings(server.Port, useTls: null), [Message()], default));

        Assert.Contains("STARTTLS", server.Commands);
        Assert.Equal(SendStatus.PermanentFailure, result.Status);
        Assert.StartsWith("TLS failed", result.Error);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task Email_UseTls_false_sends_in_plaintext_even_when_starttls_is_offered()
    {
        await using var server = new Server(offerStartTls: true);
        var result = Assert.Single(await Sender().SendAsync(Settings(server.Port, useTls: "false"), [Message()], default));

        Assert.Equal(SendStatus.Sent, result.Status);
        Assert.DoesNotContain("STARTTLS", server.Commands);
        Assert.False(Assert.Single(server.Received).OverTls);
    }

    [Fact]
    public async Task A_server_that_offers_no_starttls_still_gets_the_mail_by_default()
    {
        await using var server = new Server(offerStartTls: false);
        var result = Assert.Single(await Sender().SendAsync(Settings(server.Port, useTls: null), [Message()], default));

        Assert.Equal(SendStatus.Sent, result.Status);
        Assert.DoesNotContain("STARTTLS", server.Commands);
        Assert.Single(server.Received);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("false", false)]
    [InlineData("true", true)]
    public void Email_UseTls_left_unset_means_when_available(string? configured, bool? expected) =>
        Assert.Equal(expected, Settings(25, configured).UseTls);
}
