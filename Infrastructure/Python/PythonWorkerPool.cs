using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Enrollment.Infrastructure.Python;

/// <summary>
/// Expressions run in a pool of worker processes (<c>Python:Workers</c> of them), one evaluation per worker at a time,
/// as authentik forks a process per evaluation. A worker whose evaluation outlives its timeout is killed (SIGKILL) —
/// the only way to stop code stuck in C, such as <c>time.sleep()</c> or a catastrophic regular expression, where an
/// interrupt of the interpreter never lands — and another is started in its place at once, while the other workers
/// go on evaluating. A worker that dies otherwise (killed from outside) is replaced as soon as its exit is seen.
/// Workers start with the first evaluation and are then kept warm; disposing the pool (server shutdown) kills them.
/// </summary>
public sealed class PythonWorkerPool : IDisposable
{
    private readonly PythonRuntime _runtime;
    private readonly ILogger<PythonWorkerPool> _log;
    private readonly Slot[] _slots;
    private readonly Channel<Slot> _free;
    private int _warm;
    private volatile bool _disposed;

    public PythonWorkerPool(PythonRuntime runtime, PythonSettings settings, ILogger<PythonWorkerPool> log)
    {
        _runtime = runtime;
        _log = log;
        _slots = [.. Enumerable.Range(0, settings.Workers).Select(_ => new Slot(this))];
        _free = Channel.CreateUnbounded<Slot>();
        foreach (var slot in _slots) _free.Writer.TryWrite(slot);
    }

    public int Size => _slots.Length;

    /// <summary>The process ids of the workers running now (for diagnostics and tests).</summary>
    public IReadOnlyList<int> ProcessIds => [.. _slots.Select(s => s.ProcessId).OfType<int>()];

    /// <summary>Starts every worker now rather than with the first evaluation, and waits until they are ready.</summary>
    public async Task WarmAsync()
    {
        Warm();
        await Task.WhenAll(_slots.Select(s => s.WorkerAsync()));
    }

    /// <summary>
    /// Runs <paramref name="expression"/> on the next free worker. The timeout counts from when a worker takes it;
    /// <paramref name="ct"/> gives up the wait for a free worker, not an evaluation already running.
    /// </summary>
    /// <remarks>
    /// A worker that dies before it answers, without the pool killing it, was most likely killed from outside (an
    /// operator, the out-of-memory killer), possibly before it even read the evaluation: its pipe accepts writes
    /// until its last thread is gone. The evaluation is tried once more on the slot's new worker, within what is
    /// left of its timeout, so such a death costs no evaluation. An expression that kills its own worker fails on
    /// the second try too.
    /// </remarks>
    public async Task<ExpressionResult> EvaluateAsync(string expression, JsonObject input, TimeSpan timeout, Func<string, string?> lookupUser, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Warm();
        var slot = await _free.Reader.ReadAsync(ct);
        try
        {
            var left = timeout;
            for (var attempt = 1; ; attempt++)
            {
                PythonWorker worker;
                try
                {
                    worker = await slot.WorkerAsync().WaitAsync(ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    return ExpressionResult.Failed($"The Python worker could not start: {e.GetBaseException().Message}");
                }
                var started = Stopwatch.GetTimestamp();
                var answer = await worker.EvaluateAsync(expression, input, left, lookupUser);
                left -= Stopwatch.GetElapsedTime(started);
                switch (answer.How)
                {
                    case WorkerAnswer.Ending.Answered:
                        return answer.Result!;
                    case WorkerAnswer.Ending.TimedOut:
                        _log.LogInformation("Python worker {Pid} killed: an evaluation ran past its timeout of {Timeout} s; starting another",
                            worker.ProcessId, timeout.TotalSeconds);
                        slot.Replace(worker);
                        return ExpressionResult.Failed($"Timed out after {timeout.TotalSeconds:0.##} s", timedOut: true);
                    case WorkerAnswer.Ending.NotSent or WorkerAnswer.Ending.Died when attempt == 1 && left > TimeSpan.Zero:
                        _log.LogWarning("Python worker {Pid}: {Problem}; trying the evaluation on a new worker", worker.ProcessId, answer.Problem);
                        slot.Replace(worker);
                        continue;
                    default:
                        _log.LogWarning("Python worker {Pid}: {Problem}; starting another", worker.ProcessId, answer.Problem);
                        slot.Replace(worker);
                        return ExpressionResult.Failed(answer.Problem ?? "the Python worker stopped");
                }
            }
        }
        finally
        {
            _free.Writer.TryWrite(slot);
        }
    }

    private void Warm()
    {
        if (Interlocked.Exchange(ref _warm, 1) == 1) return;
        foreach (var slot in _slots) _ = slot.WorkerAsync();
    }

    private Task<PythonWorker> Start(Slot slot, TimeSpan delay)
    {
        // Absolute: workers start in the application's folder, not the server's working directory.
        var library = Path.GetFullPath(_runtime.Library ?? throw new InvalidOperationException(_runtime.Problem ?? PythonRuntime.NotAvailable));
        var started = Task.Run(async () =>
        {
            if (delay > TimeSpan.Zero) await Task.Delay(delay);
            var worker = await PythonWorker.StartAsync(library, exited: w => slot.Exited(w));
            if (_disposed)
            {
                worker.Kill();
                worker.Dispose();
                throw new ObjectDisposedException(nameof(PythonWorkerPool));
            }
            _log.LogDebug("Python worker {Pid} started", worker.ProcessId);
            return worker;
        });
        started.ContinueWith(t => _log.LogWarning(t.Exception!.GetBaseException(), "A Python worker could not start"),
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
        return started;
    }

    public void Dispose()
    {
        _disposed = true;
        _free.Writer.TryComplete();
        foreach (var slot in _slots) slot.Stop();
    }

    /// <summary>One place in the pool: the worker in it now, or the one being started for it.</summary>
    private sealed class Slot(PythonWorkerPool pool)
    {
        private readonly Lock _gate = new();
        private Task<PythonWorker>? _worker;

        public int? ProcessId
        {
            get
            {
                lock (_gate) return _worker is { IsCompletedSuccessfully: true } t && !t.Result.HasExited ? t.Result.ProcessId : null;
            }
        }

        /// <summary>The worker of this slot, starting one if it has none or its worker has exited.</summary>
        public Task<PythonWorker> WorkerAsync()
        {
            PythonWorker? dead = null;
            Task<PythonWorker> worker;
            lock (_gate)
            {
                if (_worker is { IsCompletedSuccessfully: true } t && t.Result.HasExited)
                {
                    dead = t.Result;
                    _worker = null;
                }
                if (_worker is null || _worker.IsFaulted || _worker.IsCanceled) StartLocked();
                worker = _worker!;
            }
            dead?.Dispose(); // outside the gate: see Replace
            return worker;
        }

        /// <summary>Kills <paramref name="old"/> and starts its successor, unless that has happened already.</summary>
        public void Replace(PythonWorker old, TimeSpan delay = default)
        {
            old.Kill();
            lock (_gate)
            {
                if (_worker is not { IsCompletedSuccessfully: true } t || t.Result != old) return;
                if (pool._disposed) _worker = null;
                else StartLocked(delay);
            }
            // Outside the gate: disposing a Process waits for its Exited handler, which may be waiting for the gate
            // (this very worker's exit, reported on another thread) — holding the gate here deadlocked both.
            old.Dispose();
        }

        /// <summary>
        /// A worker's process ended by itself or was killed from outside (by an operator, the out-of-memory killer):
        /// it is replaced now, or after a second if it lived less than that, so a worker that cannot live does not
        /// restart in a tight loop.
        /// </summary>
        public void Exited(PythonWorker worker)
        {
            if (pool._disposed) return;
            var young = DateTime.UtcNow - worker.ReadyAt < TimeSpan.FromSeconds(1);
            pool._log.LogWarning("Python worker {Pid} exited; starting another", worker.ProcessId);
            Replace(worker, young ? TimeSpan.FromSeconds(1) : TimeSpan.Zero);
        }

        public void Stop()
        {
            lock (_gate)
            {
                _worker?.ContinueWith(static t =>
                {
                    if (!t.IsCompletedSuccessfully) return;
                    t.Result.Kill();
                    t.Result.Dispose();
                }, TaskContinuationOptions.ExecuteSynchronously);
                _worker = null;
            }
        }

        private void StartLocked(TimeSpan delay = default) => _worker = pool.Start(this, delay);
    }
}
