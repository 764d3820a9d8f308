using MailKit.Net.Smtp;
using MimeKit;

namespace Enrollment.Infrastructure.Email;

/// <summary>
/// Messages sent one at a time over one SMTP connection (or into the pickup directory), each answered with its own
/// <see cref="SendResult"/>. The connection opens with the first message; when that first connection fails, every
/// message of the session gets that failure without trying again (the server is down: the caller retries later).
/// After a dropped connection the next message reconnects. Never throws for SMTP trouble.
/// </summary>
public sealed class MailSession(MailSender sender, SmtpSettings settings, ILogger logger) : IAsyncDisposable
{
    private SmtpClient? client;
    private SendResult? unreachable;

    public async Task<SendResult> SendAsync(MimeMessage message, CancellationToken ct)
    {
        if (settings.UsesPickupDirectory) return await sender.WritePickupAsync(message, ct);
        if (unreachable is not null) return unreachable;
        if (client is null)
        {
            client = new SmtpClient { Timeout = Math.Max(1, settings.Timeout) * 1000 };
            try
            {
                await MailSender.ConnectAsync(client, settings, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                unreachable = MailSender.Classify(e);
                logger.LogWarning("SMTP connection to {Server} failed: {Error}", settings, unreachable.Error);
                return unreachable;
            }
        }
        try
        {
            if (!client.IsConnected) await MailSender.ConnectAsync(client, settings, ct);
            await client.SendAsync(message, ct);
            return SendResult.Ok;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // After a refused message the session is still good; after anything else start a new one.
            if (e is not SmtpCommandException) { try { client.Disconnect(false); } catch { } }
            return MailSender.Classify(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (client is null) return;
        if (client.IsConnected)
        {
            try { await client.DisconnectAsync(true, CancellationToken.None); } catch (Exception e) { logger.LogDebug(e, "SMTP QUIT failed"); }
        }
        client.Dispose();
    }
}
