using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Enrollment.Infrastructure.Email;

/// <summary>
/// Sends a batch of messages over one SMTP connection (or into the pickup directory when no host is set).
/// Each message gets its own result: a 5xx answer fails that message for good; a 4xx answer, a dropped connection
/// or a timeout is transient — the caller retries later. Never throws for SMTP trouble.
/// </summary>
public sealed class MailSender(MailPickupDirectory pickup, ILogger<MailSender> logger)
{
    public async Task<IReadOnlyList<SendResult>> SendAsync(SmtpSettings settings, IReadOnlyList<MimeMessage> messages, CancellationToken ct)
    {
        if (messages.Count == 0) return [];
        var results = new SendResult[messages.Count];
        await using var session = Open(settings);
        for (var i = 0; i < messages.Count; i++) results[i] = await session.SendAsync(messages[i], ct);
        return results;
    }

    /// <summary>
    /// A session for sending messages one at a time over one connection (opened with the first message), so the
    /// caller can record each message's outcome as soon as the server has answered it.
    /// </summary>
    public MailSession Open(SmtpSettings settings) => new(this, settings, logger);

    internal static async Task ConnectAsync(SmtpClient client, SmtpSettings settings, CancellationToken ct)
    {
        var security = settings.UseSsl ? SecureSocketOptions.SslOnConnect
            : settings.UseTls switch
            {
                true => SecureSocketOptions.StartTls,
                false => SecureSocketOptions.None,
                null => SecureSocketOptions.StartTlsWhenAvailable, // a password and invitation links should not cross the network in the clear
            };
        await client.ConnectAsync(settings.Host, settings.Port, security, ct);
        if (settings.Username.Length > 0) await client.AuthenticateAsync(settings.Username, settings.Password, ct);
    }

    /// <summary>SMTP reply codes decide: 5xx is the server's final word; everything else may work later.</summary>
    internal static SendResult Classify(Exception e) => e switch
    {
        SmtpCommandException c when (int)c.StatusCode >= 500 => new(SendStatus.PermanentFailure, $"{(int)c.StatusCode} {c.Message}".Trim()),
        SmtpCommandException c => new(SendStatus.TransientFailure, $"{(int)c.StatusCode} {c.Message}".Trim()),
        AuthenticationException a => new(SendStatus.PermanentFailure, $"Authentication failed: {a.Message}"),
        SocketException s => new(SendStatus.TransientFailure, $"Cannot connect: {s.Message}"),
        SslHandshakeException t => new(SendStatus.PermanentFailure, $"TLS failed: {t.Message}"),
        OperationCanceledException or TimeoutException => new(SendStatus.TransientFailure, "The SMTP server did not answer in time."),
        SmtpProtocolException or ServiceNotConnectedException or IOException => new(SendStatus.TransientFailure, $"Connection lost: {e.Message}"),
        _ => new(SendStatus.TransientFailure, e.Message),
    };

    internal async Task<SendResult> WritePickupAsync(MimeMessage message, CancellationToken ct)
    {
        try
        {
            Directory.CreateDirectory(pickup.Path);
            // Write then rename, so a reader never sees half a message.
            var name = $"{DateTime.UtcNow:yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}";
            var temp = Path.Combine(pickup.Path, name + ".tmp");
            await message.WriteToAsync(temp, ct);
            File.Move(temp, Path.Combine(pickup.Path, name + ".eml"));
            return SendResult.Ok;
        }
        catch (IOException e)
        {
            return new(SendStatus.TransientFailure, $"Cannot write to the pickup directory: {e.Message}");
        }
    }
}
