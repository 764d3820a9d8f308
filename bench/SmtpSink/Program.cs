// The sink as a program: listens on 127.0.0.1 and prints its counts every second.
//   dotnet run -c Release -- [--port 2525] [--keep N] [--seconds S (0: until Ctrl+C)] [--max-size BYTES]
using System.Diagnostics;
using System.Runtime.InteropServices;
using Enrollment.Bench.Smtp;

var port = 2525;
var keep = 0;
var seconds = 0;
long maxSize = 10 * 1024 * 1024;
for (var i = 0; i < args.Length; i++)
{
    var ok = i + 1 < args.Length && args[i] switch
    {
        "--port" => int.TryParse(args[++i], out port) && port is >= 0 and <= 65535,
        "--keep" => int.TryParse(args[++i], out keep) && keep >= 0,
        "--seconds" => int.TryParse(args[++i], out seconds) && seconds >= 0,
        "--max-size" => long.TryParse(args[++i], out maxSize) && maxSize > 0,
        _ => false,
    };
    if (!ok)
    {
        Console.Error.WriteLine("usage: SmtpSink [--port 2525] [--keep N] [--seconds S] [--max-size BYTES]");
        return 2;
    }
}

await using var sink = new SmtpSink(new SmtpSinkOptions { Port = port, KeepLast = keep, MaxMessageSize = maxSize });
await sink.StartAsync();
Console.WriteLine($"listening on {sink.EndPoint} (pid {Environment.ProcessId})");

// Ctrl+C and SIGTERM (kill PID) stop it cleanly, with the final counts printed.
using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
if (seconds > 0) stop.CancelAfter(TimeSpan.FromSeconds(seconds));

var clock = Stopwatch.StartNew();
var previous = sink.Counters;
using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
try
{
    while (await timer.WaitForNextTickAsync(stop.Token))
    {
        var now = sink.Counters;
        Console.WriteLine($"{clock.Elapsed.TotalSeconds,6:F0} s  messages {now.Messages} (+{now.Messages - previous.Messages}/s)  recipients {now.Recipients}  " +
                          $"bytes {now.Bytes}  connections {now.Connections} ({now.ActiveConnections} open)  refused {now.Rejected}");
        previous = now;
    }
}
catch (OperationCanceledException) { }
var end = sink.Counters;
Console.WriteLine($"stopped: messages {end.Messages}, recipients {end.Recipients}, bytes {end.Bytes}, connections {end.Connections}, refused {end.Rejected}");
return 0;
