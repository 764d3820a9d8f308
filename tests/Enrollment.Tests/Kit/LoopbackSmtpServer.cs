using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Enrollment.Tests.Kit;

/// <summary>
/// A real SMTP server on 127.0.0.1 (the SmtpServer package), in-process. Tests read what it received and can make
/// it refuse: <see cref="Answer"/> decides the reply to each message's DATA (250, a transient 4xx or a permanent 5xx).
/// </summary>
public sealed class LoopbackSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;
    private readonly ConcurrentQueue<MimeMessage> _messages = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public int Port { get; }

    /// <summary>The answer to the next message; default accepts. Set to e.g. <c>_ => new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "no such user")</c>.</summary>
    public Func<MimeMessage, SmtpResponse> Answer { get; set; } = _ => SmtpResponse.Ok;

    public IReadOnlyCollection<MimeMessage> Messages => _messages;

    /// <param name="port">A port chosen earlier (e.g. one an app was configured with while nothing listened); default a free one.</param>
    public LoopbackSmtpServer(int? port = null)
    {
        Port = port is null or 0 ? FreePort() : port.Value;
        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new ServiceProvider();
        services.Add(new Store(this));
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    /// <summary>The settings an app under test needs to send here.</summary>
    public IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Email:Host"] = "127.0.0.1",
        ["Email:Port"] = Port.ToString(),
        ["Email:From"] = "enrollment@example.com",
        ["Email:Timeout"] = "5",
    };

    /// <summary>Waits until <paramref name="count"/> messages have arrived in total (or fails after the timeout).</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (_messages.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"Expected {count} messages, received {_messages.Count}.");
            await _arrived.WaitAsync(left);
        }
        return [.. _messages];
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await _running; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }

    private sealed class Store(LoopbackSmtpServer owner) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            var answer = owner.Answer(message);
            if (answer.ReplyCode == SmtpReplyCode.Ok)
            {
                owner._messages.Enqueue(message);
                owner._arrived.Release();
            }
            return answer;
        }
    }
}
