using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Enrollment.Tests.Kit.Processes;

/// <summary>
/// nginx on a loopback port in front of several upstream servers, round robin without stickiness, as
/// docs/operations.md configures it. Each answer carries <c>X-Upstream</c> (the upstream address that served it) so a
/// test can see which instance answered.
/// </summary>
public sealed class NginxProcess : IAsyncDisposable
{
    public const string UpstreamHeader = "X-Upstream";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "enrollment-nginx-" + Guid.NewGuid().ToString("N"));
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public static string? Binary => Tool.Find("nginx", "/usr/sbin/nginx");

    private NginxProcess(int port, IEnumerable<int> upstreams)
    {
        Port = port;
        Directory.CreateDirectory(_folder);
        var servers = string.Concat(upstreams.Select(p => $"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;\n"));
        var config = $$"""
            {{(Tool.IsRoot ? "user root;" : "")}}
            worker_processes 1;
            error_log {{_folder}}/error.log warn;
            pid {{_folder}}/nginx.pid;
            events { worker_connections 1024; }
            http {
                access_log {{_folder}}/access.log;
                client_body_temp_path {{_folder}}/body;
                proxy_temp_path {{_folder}}/proxy;
                fastcgi_temp_path {{_folder}}/fastcgi;
                uwsgi_temp_path {{_folder}}/uwsgi;
                scgi_temp_path {{_folder}}/scgi;
                upstream enrollment {
            {{servers}}
                }
                server {
                    listen 127.0.0.1:{{port}};
                    client_max_body_size 2m;
                    location / {
                        proxy_pass http://enrollment;
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_set_header X-Forwarded-Host $http_host;
                        proxy_connect_timeout 2s;
                        proxy_read_timeout 60s;
                        proxy_next_upstream error timeout;
                        add_header {{UpstreamHeader}} $upstream_addr always;
                    }
                }
            }
            """;
        File.WriteAllText(Path.Combine(_folder, "nginx.conf"), config);
        _process = Process.Start(new ProcessStartInfo(Binary!, ["-p", _folder, "-c", Path.Combine(_folder, "nginx.conf"), "-g", "daemon off;"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static async Task<NginxProcess> StartAsync(params int[] upstreams)
    {
        if (Binary is null) throw new InvalidOperationException("nginx is not installed (apt-get install nginx).");
        var nginx = new NginxProcess(FreePort(), upstreams);
        for (var i = 0; i < 100; i++)
        {
            if (nginx._process.HasExited) break;
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, nginx.Port);
                return nginx;
            }
            catch (SocketException) { await Task.Delay(100); }
        }
        await nginx.DisposeAsync();
        lock (nginx._output) throw new InvalidOperationException("nginx did not start: " + nginx._output + nginx.ErrorLog);
    }

    public string ErrorLog => File.Exists(Path.Combine(_folder, "error.log")) ? File.ReadAllText(Path.Combine(_folder, "error.log")) : "";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(_folder, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
