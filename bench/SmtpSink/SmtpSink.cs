using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Enrollment.Bench.Smtp;

/// <summary>One message as received: envelope and content (dot-unstuffed, without the terminating line).</summary>
public sealed record SinkMessage(long Number, string From, IReadOnlyList<string> Recipients, byte[] Data, DateTime Received)
{
    public string Text => Encoding.UTF8.GetString(Data);
}

/// <summary>What the sink has received since it started.</summary>
public readonly record struct SinkCounters(long Messages, long Recipients, long Bytes, long Connections, long ActiveConnections, long Rejected);

public sealed class SmtpSinkOptions
{
    public IPAddress Address { get; init; } = IPAddress.Loopback;
    /// <summary>0 picks a free port; <see cref="SmtpSink.Port"/> tells which.</summary>
    public int Port { get; init; }
    /// <summary>Keep the last N messages (envelope and content) in memory; 0 keeps nothing, only counts.</summary>
    public int KeepLast { get; init; }
    /// <summary>Called for every message, on the connection's task; setting it makes the sink copy the content.</summary>
    public Action<SinkMessage>? OnMessage { get; init; }
    /// <summary>Advertised with SIZE; bigger messages are refused with 552 (their content is read and dropped).</summary>
    public long MaxMessageSize { get; init; } = 10 * 1024 * 1024;
    public int MaxRecipients { get; init; } = 1000;
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);
    public string HostName { get; init; } = "smtp-sink.localhost";
}

/// <summary>
/// A minimal SMTP receiver for benchmarks (RFC 5321 subset): EHLO/HELO, MAIL FROM (with SIZE), RCPT TO, DATA with
/// dot-unstuffing and the <c>CRLF.CRLF</c> terminator, RSET, NOOP, VRFY, HELP, QUIT; advertises PIPELINING, 8BITMIME
/// and SIZE; no AUTH, no TLS. Many connections at once, each an async loop over System.IO.Pipelines; replies to a
/// pipelined batch of commands go out in one write. It counts messages, recipients and bytes and keeps nothing unless
/// asked (<see cref="SmtpSinkOptions.KeepLast"/>, <see cref="SmtpSinkOptions.OnMessage"/>).
/// </summary>
public sealed class SmtpSink(SmtpSinkOptions? options = null) : IAsyncDisposable
{
    private readonly SmtpSinkOptions _options = options ?? new SmtpSinkOptions();
    private readonly CancellationTokenSource _stopping = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, byte> _sessions = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<SinkMessage> _last = new();
    private readonly List<(long Count, TaskCompletionSource Done)> _waiters = [];
    private Socket? _listener;
    private Task? _accepting;
    private long _messages, _recipients, _bytes, _connections, _active, _rejected;
    private int _waiterCount;

    public SmtpSinkOptions Options => _options;
    public int Port { get; private set; }
    public IPEndPoint EndPoint => new(_options.Address, Port);

    public SinkCounters Counters => new(Interlocked.Read(ref _messages), Interlocked.Read(ref _recipients), Interlocked.Read(ref _bytes),
        Interlocked.Read(ref _connections), Interlocked.Read(ref _active), Interlocked.Read(ref _rejected));

    /// <summary>The last <see cref="SmtpSinkOptions.KeepLast"/> messages, oldest first.</summary>
    public IReadOnlyList<SinkMessage> LastMessages => _last.ToArray();

    public Task StartAsync(CancellationToken ct = default)
    {
        if (_listener is not null) throw new InvalidOperationException("The sink is already started.");
        var listener = new Socket(_options.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(_options.Address, _options.Port));
        listener.Listen(1024);
        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _accepting = AcceptAsync(listener);
        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        if (_listener is null) return;
        _stopping.Cancel();
        _listener.Dispose();
        try { if (_accepting is not null) await _accepting; } catch (Exception) { /* the listener was closed */ }
        await Task.WhenAll(_sessions.Keys);
        lock (_waiters)
        {
            foreach (var (_, done) in _waiters) done.TrySetCanceled();
            _waiters.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
    }

    /// <summary>Completes when at least <paramref name="count"/> messages have been received since the start.</summary>
    public Task WaitForMessagesAsync(long count, CancellationToken ct = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (Interlocked.Read(ref _messages) >= count) return Task.CompletedTask;
            _waiters.Add((count, done));
            Interlocked.Increment(ref _waiterCount);
        }
        if (ct.CanBeCanceled) ct.Register(() => done.TrySetCanceled(ct));
        return done.Task;
    }

    private async Task AcceptAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await listener.AcceptAsync(_stopping.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) when (_stopping.IsCancellationRequested) { return; }
            socket.NoDelay = true;
            var session = Task.Run(() => ServeAsync(socket));
            _sessions.TryAdd(session, 0);
            _ = session.ContinueWith(t => _sessions.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        Interlocked.Increment(ref _connections);
        Interlocked.Increment(ref _active);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var stream = new NetworkStream(socket, ownsSocket: true);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
        var writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 4096, leaveOpen: true));
        var session = new Session(this);
        try
        {
            session.Greet(writer);
            while (true)
            {
                // Replies to everything read so far go out together before waiting for more (PIPELINING).
                if (writer.UnflushedBytes > 0) await writer.FlushAsync(idle.Token);
                idle.CancelAfter(_options.IdleTimeout);
                var result = await reader.ReadAsync(idle.Token);
                var buffer = result.Buffer;
                var consumed = session.Process(buffer, writer, out var close);
                reader.AdvanceTo(consumed, buffer.End);
                if (close || result.IsCompleted)
                {
                    if (writer.UnflushedBytes > 0) await writer.FlushAsync(CancellationToken.None);
                    break;
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
        catch (SocketException) { }
        finally
        {
            await reader.CompleteAsync();
            await writer.CompleteAsync();
            await stream.DisposeAsync();
            Interlocked.Decrement(ref _active);
        }
    }

    private long Delivered(string from, List<string> recipients, long size, byte[]? data)
    {
        var number = Interlocked.Increment(ref _messages);
        Interlocked.Add(ref _recipients, recipients.Count);
        Interlocked.Add(ref _bytes, size);
        if (data is not null)
        {
            var message = new SinkMessage(number, from, recipients.ToArray(), data, DateTime.UtcNow);
            if (_options.KeepLast > 0)
            {
                _last.Enqueue(message);
                while (_last.Count > _options.KeepLast && _last.TryDequeue(out _)) { }
            }
            _options.OnMessage?.Invoke(message);
        }
        if (Volatile.Read(ref _waiterCount) == 0) return number;
        lock (_waiters)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Count > number) continue;
                _waiters[i].Done.TrySetResult();
                _waiters.RemoveAt(i);
                Interlocked.Decrement(ref _waiterCount);
            }
        }
        return number;
    }

    /// <summary>One connection's protocol state; all parsing is synchronous over the bytes read so far.</summary>
    private sealed class Session(SmtpSink sink)
    {
        private const int MaxCommandLine = 4096;   // RFC 5321 asks for 512; be lenient
        private static readonly byte[] Ok = "250 2.0.0 Ok\r\n"u8.ToArray();
        private static readonly byte[] MailOk = "250 2.1.0 Ok\r\n"u8.ToArray();
        private static readonly byte[] RcptOk = "250 2.1.5 Ok\r\n"u8.ToArray();
        private static readonly byte[] StartData = "354 End data with <CR><LF>.<CR><LF>\r\n"u8.ToArray();

        private readonly SmtpSinkOptions _options = sink._options;
        private bool _greeted;
        private string? _from;
        private readonly List<string> _to = [];
        private bool _inData, _atLineStart, _lastCr, _tooBig;
        private long _size;
        private ArrayBufferWriter<byte>? _content;

        private bool Keeping => _options.KeepLast > 0 || _options.OnMessage is not null;

        public void Greet(IBufferWriter<byte> output) => Reply(output, $"220 {_options.HostName} ESMTP SmtpSink ready");

        /// <summary>Handles every complete command and as much message content as there is; returns what was used.</summary>
        public SequencePosition Process(in ReadOnlySequence<byte> buffer, IBufferWriter<byte> output, out bool close)
        {
            var r = new SequenceReader<byte>(buffer);
            close = false;
            while (!r.End)
            {
                if (_inData)
                {
                    if (!ReadContent(ref r)) break;
                    EndOfData(output);
                    continue;
                }
                if (!r.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n', advancePastDelimiter: true))
                {
                    if (r.Remaining > MaxCommandLine)
                    {
                        Reply(output, "500 5.5.2 Line too long");
                        close = true;
                    }
                    break;
                }
                if (line.Length > MaxCommandLine)
                {
                    Reply(output, "500 5.5.2 Line too long");
                    continue;
                }
                var text = Encoding.UTF8.GetString(line).TrimEnd('\r');
                if (!Command(text, output))
                {
                    close = true;
                    break;
                }
            }
            return r.Position;
        }

        /// <returns>false for QUIT.</returns>
        private bool Command(string line, IBufferWriter<byte> output)
        {
            var space = line.IndexOf(' ');
            var verb = (space < 0 ? line : line[..space]).ToUpperInvariant();
            var argument = space < 0 ? "" : line[(space + 1)..].Trim();
            switch (verb)
            {
                case "EHLO":
                    if (argument.Length == 0) { Reply(output, "501 5.5.4 Syntax: EHLO hostname"); break; }
                    _greeted = true;
                    Reset();
                    Reply(output, $"250-{_options.HostName} Hello {argument}\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SIZE {_options.MaxMessageSize}\r\n250 ENHANCEDSTATUSCODES");
                    break;
                case "HELO":
                    if (argument.Length == 0) { Reply(output, "501 5.5.4 Syntax: HELO hostname"); break; }
                    _greeted = true;
                    Reset();
                    Reply(output, $"250 {_options.HostName}");
                    break;
                case "MAIL":
                    Mail(argument, output);
                    break;
                case "RCPT":
                    Rcpt(argument, output);
                    break;
                case "DATA":
                    if (argument.Length > 0) Reply(output, "501 5.5.4 Syntax: DATA");
                    else if (_from is null) Reply(output, "503 5.5.1 Error: need MAIL command");
                    else if (_to.Count == 0) Reply(output, "554 5.5.1 Error: no valid recipients");
                    else
                    {
                        _inData = true;
                        _atLineStart = true;
                        _lastCr = false;
                        _tooBig = false;
                        _size = 0;
                        if (Keeping) _content = new ArrayBufferWriter<byte>(4096);
                        output.Write(StartData);
                    }
                    break;
                case "RSET":
                    Reset();
                    output.Write(Ok);
                    break;
                case "NOOP":
                    output.Write(Ok);
                    break;
                case "VRFY":
                    Reply(output, "252 2.0.0 Cannot VRFY user, but will accept message");
                    break;
                case "HELP":
                    Reply(output, "214 2.0.0 EHLO HELO MAIL RCPT DATA RSET NOOP VRFY QUIT");
                    break;
                case "QUIT":
                    Reply(output, "221 2.0.0 Bye");
                    return false;
                default:
                    Reply(output, "502 5.5.2 Error: command not recognized");
                    break;
            }
            return true;
        }

        private void Mail(string argument, IBufferWriter<byte> output)
        {
            if (!_greeted) { Reply(output, "503 5.5.1 Error: send HELO/EHLO first"); return; }
            if (_from is not null) { Reply(output, "503 5.5.1 Error: nested MAIL command"); return; }
            if (!TryPath(argument, "FROM:", out var path, out var parameters)) { Reply(output, "501 5.5.4 Syntax: MAIL FROM:<address>"); return; }
            foreach (var p in parameters.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (p.StartsWith("SIZE=", StringComparison.OrdinalIgnoreCase)
                    && long.TryParse(p.AsSpan(5), out var declared) && declared > _options.MaxMessageSize)
                {
                    Interlocked.Increment(ref sink._rejected);
                    Reply(output, "552 5.3.4 Message size exceeds fixed limit");
                    return;
                }
            }
            _from = path;
            output.Write(MailOk);
        }

        private void Rcpt(string argument, IBufferWriter<byte> output)
        {
            if (_from is null) { Reply(output, "503 5.5.1 Error: need MAIL command"); return; }
            if (!TryPath(argument, "TO:", out var path, out _) || path.Length == 0) { Reply(output, "501 5.1.3 Syntax: RCPT TO:<address>"); return; }
            if (_to.Count >= _options.MaxRecipients) { Reply(output, "452 4.5.3 Error: too many recipients"); return; }
            _to.Add(path);
            output.Write(RcptOk);
        }

        /// <summary><c>FROM:&lt;a@b&gt; SIZE=1</c> → <c>a@b</c>, <c>SIZE=1</c> (a space after the colon is tolerated).</summary>
        private static bool TryPath(string argument, string prefix, out string path, out string parameters)
        {
            path = parameters = "";
            if (!argument.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return false;
            var rest = argument[prefix.Length..].TrimStart();
            if (rest.Length == 0 || rest[0] != '<') return false;
            var close = rest.IndexOf('>');
            if (close < 0) return false;
            path = rest[1..close];
            parameters = rest[(close + 1)..].Trim();
            return true;
        }

        /// <summary>
        /// Message content up to the line <c>.</c>: a leading dot of any other line is removed (dot-stuffing); only
        /// CRLF ends a line, so a bare LF followed by a dot is content. Returns true once the terminator is consumed.
        /// </summary>
        private bool ReadContent(ref SequenceReader<byte> r)
        {
            Span<byte> head = stackalloc byte[3];
            while (!r.End)
            {
                if (_atLineStart)
                {
                    r.TryPeek(out var first);
                    if (first == (byte)'.')
                    {
                        var n = (int)Math.Min(3, r.Remaining);
                        r.TryCopyTo(head[..n]);
                        if (n == 3 && head[1] == (byte)'\r' && head[2] == (byte)'\n')
                        {
                            r.Advance(3);
                            return true;
                        }
                        if (n == 1 || (n == 2 && head[1] == (byte)'\r')) return false;   // maybe the terminator: wait
                        r.Advance(1);   // a stuffed dot
                    }
                    _atLineStart = false;
                }
                if (r.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n', advancePastDelimiter: true))
                {
                    var cr = line.IsEmpty ? _lastCr : line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r';
                    Append(line);
                    Append("\n"u8);
                    _atLineStart = cr;
                    _lastCr = false;
                }
                else
                {
                    var rest = r.UnreadSequence;
                    _lastCr = rest.Slice(rest.Length - 1).FirstSpan[0] == (byte)'\r';
                    Append(rest);
                    r.AdvanceToEnd();
                }
            }
            return false;
        }

        private void Append(in ReadOnlySequence<byte> bytes)
        {
            _size += bytes.Length;
            if (_size > _options.MaxMessageSize) { _tooBig = true; _content = null; return; }
            if (_content is null) return;
            foreach (var segment in bytes) _content.Write(segment.Span);
        }

        private void Append(ReadOnlySpan<byte> bytes)
        {
            _size += bytes.Length;
            if (_size > _options.MaxMessageSize) { _tooBig = true; _content = null; return; }
            _content?.Write(bytes);
        }

        private void EndOfData(IBufferWriter<byte> output)
        {
            _inData = false;
            if (_tooBig)
            {
                Interlocked.Increment(ref sink._rejected);
                Reply(output, "552 5.3.4 Message size exceeds fixed limit");
            }
            else
            {
                var number = sink.Delivered(_from!, _to, _size, _content?.WrittenSpan.ToArray());
                Reply(output, $"250 2.0.0 Ok: queued as {number}");
            }
            Reset();
        }

        private void Reset()
        {
            _from = null;
            _to.Clear();
            _content = null;
        }

        private static void Reply(IBufferWriter<byte> output, string text)
        {
            var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length) + 2);
            var n = Encoding.UTF8.GetBytes(text, span);
            span[n++] = (byte)'\r';
            span[n++] = (byte)'\n';
            output.Advance(n);
        }
    }
}
