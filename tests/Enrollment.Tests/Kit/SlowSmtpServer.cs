using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Enrollment.Tests.Kit;

/// <summary>
/// A minimal SMTP server on loopback that answers each message slowly and counts a message only once it has told a
/// live client "250": a sender that died before that answer has not handed the message over (RFC 5321: the
/// server takes responsibility with its reply). From the <see cref="HoldFrom"/>th message on it holds every
/// answer until <see cref="Release"/>, and says so once every open connection is waiting (<see cref="AllHolding"/>);
/// <see cref="HoldAfter"/> arms that again for a server that lives across tests.
/// </summary>
public sealed class SlowSmtpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly TimeSpan delay;
    private TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim arrived = new(0);
    private readonly Task accepting;
    private readonly object gate = new();
    private int messages, open, holding, holdFrom = int.MaxValue;

    public SlowSmtpServer(TimeSpan delay)
    {
        this.delay = delay;
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;
    public int HoldFrom { get => holdFrom; init => holdFrom = value; }
    public TaskCompletionSource AllHolding { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public ConcurrentDictionary<string, int> PerRecipient { get; } = new();
    public ConcurrentQueue<string> AcceptedQueue { get; } = new();
    public IEnumerable<string> AcceptedRecipients => AcceptedQueue;
    public int Accepted => AcceptedQueue.Count;
    public int OpenConnections { get { lock (gate) return open; } }

    public void Release() => released.TrySetResult();

    /// <summary>From the <paramref name="count"/>th message from now on, hold every answer until the next <see cref="Release"/>.</summary>
    public void HoldAfter(int count)
    {
        lock (gate)
        {
            holdFrom = messages + count;
            released = new(TaskCreationOptions.RunContinuationsAsynchronously);
            AllHolding = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Waits until every one of <paramref name="recipients"/> has been accepted at least once.</summary>
    public async Task WaitForRecipientsAsync(IReadOnlyCollection<string> recipients, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (recipients.Any(r => !PerRecipient.ContainsKey(r)))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"{recipients.Count(r => !PerRecipient.ContainsKey(r))} of {recipients.Count} recipients never got their message.");
            await arrived.WaitAsync(left < TimeSpan.FromMilliseconds(500) ? left : TimeSpan.FromMilliseconds(500));
        }
    }

    public async Task WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Accepted < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"Expected {count} messages, the SMTP server accepted {Accepted}.");
            await arrived.WaitAsync(left);
        }
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        lock (gate) open++;
        try
        {
            using var _ = client;
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.Latin1);
            async Task Say(string line) => await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"), stop.Token);
            await Say("220 localhost ESMTP test server");
            var recipients = new List<string>();
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO": await Say("250-localhost\r\n250 8BITMIME"); break;
                    case "HELO": await Say("250 localhost"); break;
                    case "MAIL": recipients.Clear(); await Say("250 2.1.0 OK"); break;
                    case "RCPT":
                        recipients.Add(line[(line.IndexOf('<') + 1)..line.LastIndexOf('>')]);
                        await Say("250 2.1.5 OK");
                        break;
                    case "DATA":
                        await Say("354 End data with <CR><LF>.<CR><LF>");
                        while (await reader.ReadLineAsync(stop.Token) is { } body && body != ".") { }
                        await Task.Delay(delay, stop.Token);
                        if (Interlocked.Increment(ref messages) >= Volatile.Read(ref holdFrom)) await HoldAsync();
                        // The client died while we held the message: it never had our answer, so we never had its message.
                        if (client.Client.Poll(0, SelectMode.SelectRead) && client.Client.Available == 0) return;
                        await Say("250 2.0.0 queued");
                        foreach (var r in recipients)
                        {
                            PerRecipient.AddOrUpdate(r, 1, (_, n) => n + 1);
                            AcceptedQueue.Enqueue(r);
                        }
                        arrived.Release();
                        break;
                    case "RSET": recipients.Clear(); await Say("250 OK"); break;
                    case "NOOP": await Say("250 OK"); break;
                    case "QUIT": await Say("221 Bye"); return;
                    default: await Say("502 5.5.2 Command not implemented"); break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException) { }
        finally
        {
            lock (gate) { open--; Check(); }
        }
    }

    private async Task HoldAsync()
    {
        Task wait;
        lock (gate)
        {
            if (released.Task.IsCompleted) return;
            wait = released.Task;
            holding++;
            Check();
        }
        await wait;
        lock (gate) holding--;
    }

    private void Check()
    {
        if (holding > 0 && holding >= open) AllHolding.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        stop.Cancel();
        listener.Stop();
        try { await accepting; } catch (OperationCanceledException) { }
        stop.Dispose();
    }
}
