using System.Net;
using System.Net.Sockets;

namespace Enrollment.Tests.Kit;

/// <summary>
/// A TCP relay on loopback in front of the database server: <see cref="Stop"/> drops every connection and refuses
/// new ones, as a database host that went away; <see cref="Start"/> brings it back on the same port.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly string targetHost;
    private readonly int targetPort;
    private readonly List<TcpClient> connections = [];
    private TcpListener? listener;
    private CancellationTokenSource? running;

    public TcpRelay(string host, int port)
    {
        (targetHost, targetPort) = (host, port);
        Port = LoopbackSmtpServer.FreePort();
        Start();
    }

    public int Port { get; }

    public void Start()
    {
        listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        running = new CancellationTokenSource();
        _ = AcceptAsync(listener, running.Token);
    }

    public void Stop()
    {
        running?.Cancel();
        listener?.Stop();
        lock (connections)
        {
            foreach (var c in connections) c.Dispose();
            connections.Clear();
        }
    }

    private async Task AcceptAsync(TcpListener from, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await from.AcceptTcpClientAsync(ct); }
            catch (Exception) { return; }
            var server = new TcpClient();
            try { await server.ConnectAsync(targetHost, targetPort, ct); }
            catch (Exception) { client.Dispose(); server.Dispose(); continue; }
            lock (connections) { connections.Add(client); connections.Add(server); }
            _ = PumpAsync(client, server);
            _ = PumpAsync(server, client);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try { await from.GetStream().CopyToAsync(to.GetStream()); }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException) { }
        finally { from.Dispose(); to.Dispose(); }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }
}
