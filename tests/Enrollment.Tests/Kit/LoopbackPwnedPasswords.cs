using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Enrollment.Tests.Kit;

/// <summary>
/// Have I Been Pwned's Pwned Passwords range API, on 127.0.0.1 (an <see cref="HttpListener"/>): <c>GET /range/ABCDE</c>
/// answers <c>SUFFIX:COUNT</c> lines for the passwords told to it with <see cref="Breached"/>, and with
/// <c>Add-Padding: true</c> padding lines of count 0, as the real service does. Tests see every request
/// (<see cref="Requests"/>), can make it answer an error (<see cref="FailWith"/>) and can stop and start it on the same port.
/// </summary>
public sealed class LoopbackPwnedPasswords : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private HttpListener? _listener;
    private Task? _serving;

    public int Port { get; } = LoopbackSmtpServer.FreePort();

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Each request as (path, value of its Add-Padding header).</summary>
    public ConcurrentQueue<(string Path, string? Padding)> Requests { get; } = new();

    /// <summary>A status code to answer every request with instead (a 503, say); null: the service works.</summary>
    public int? FailWith { get; set; }

    public LoopbackPwnedPasswords() => Start();

    /// <summary>The service knows <paramref name="password"/> from <paramref name="count"/> breaches.</summary>
    public void Breached(string password, int count) => _counts[Sha1(password)] = count;

    public static string Sha1(string password) => Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(password)));

    /// <summary>Listens again (after <see cref="StopAsync"/>) on the same port; does nothing while it listens.</summary>
    public void Restart()
    {
        if (_listener is null) Start();
    }

    private void Start()
    {
        var listener = new HttpListener();
        listener.Prefixes.Add(BaseUrl + "/");
        listener.Start();
        _listener = listener;
        _serving = Task.Run(() => ServeAsync(listener));
    }

    /// <summary>Nothing listens on <see cref="Port"/> until <see cref="Start"/>: look-ups are refused.</summary>
    public async Task StopAsync()
    {
        if (_listener is null) return;
        _listener.Stop();
        _listener.Close();
        _listener = null;
        try { await _serving!; } catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { }
    }

    private async Task ServeAsync(HttpListener listener)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            var path = context.Request.Url!.AbsolutePath;
            var padding = context.Request.Headers["Add-Padding"];
            Requests.Enqueue((path, padding));
            using var response = context.Response;
            if (FailWith is { } status)
            {
                response.StatusCode = status;
                continue;
            }
            if (!path.StartsWith("/range/", StringComparison.Ordinal) || path.Length != "/range/".Length + 5)
            {
                response.StatusCode = 400;
                continue;
            }
            var prefix = path[^5..].ToUpperInvariant();
            var lines = _counts.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(c => $"{c.Key[5..]}:{c.Value}").ToList();
            // Another password of the same range, so the client must pick its own line.
            lines.Add($"{new string('0', 34)}1:12");
            if (padding == "true") lines.AddRange(Enumerable.Range(0, 5).Select(i => $"{new string('F', 34)}{i}:0"));
            var body = Encoding.ASCII.GetBytes(string.Join("\r\n", lines));
            response.ContentType = "text/plain";
            await response.OutputStream.WriteAsync(body);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
