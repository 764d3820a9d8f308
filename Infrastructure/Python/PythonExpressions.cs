using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Python.Runtime;

namespace Enrollment.Infrastructure.Python;

/// <summary>
/// Compiles expressions once (cached by their text) and runs them in the embedded CPython. Python runs one thread
/// at a time (the GIL), so callers queue asynchronously for it rather than blocking pool threads. An evaluation
/// past its timeout is interrupted (KeyboardInterrupt in its thread) and reported as timed out.
/// </summary>
public sealed class PythonExpressions(PythonRuntime runtime)
{
    private const int CacheLimit = 2048;
    private readonly ConcurrentDictionary<string, PyObject> _compiled = new();
    private readonly SemaphoreSlim _turn = new(1, 1);

    // Made once (under the GIL) instead of per evaluation: the module's run() and the ak_user_by callback. The
    // callback asks the lookup of the evaluation running on its thread (Python calls back on the calling thread).
    private PyObject? _run;
    private PyObject? _lookup;
    [ThreadStatic] private static Func<string, string?>? _currentLookup;
    private static string? LookupOnThisThread(string filters) => _currentLookup?.Invoke(filters);

    public bool IsAvailable => runtime.IsAvailable;
    public string? Problem => runtime.Problem;

    /// <summary>null when the expression compiles; else the line (of the expression) and the message.</summary>
    public SyntaxProblem? Check(string expression)
    {
        if (!runtime.IsAvailable) return null; // saving must not depend on Python being installed; running will say so
        using (Py.GIL())
        {
            using var answer = runtime.Module.InvokeMethod("check", new PyString(expression));
            if (answer.IsNone()) return null;
            var json = JsonNode.Parse(answer.As<string>())!;
            return new SyntaxProblem((int)json["line"]!, (string)json["message"]!);
        }
    }

    /// <param name="input">
    /// <c>{"user": {...}, "context": {...}, "prompt_context": {...}, "client_ip": "…", "http_request": {...}}</c>.
    /// </param>
    /// <param name="lookupUser">Answers <c>ak_user_by(**filters)</c>: filters as JSON in, the user as JSON (or null) out.</param>
    public async Task<ExpressionResult> EvaluateAsync(string expression, JsonObject input, TimeSpan timeout, Func<string, string?> lookupUser, CancellationToken ct)
    {
        if (!runtime.IsAvailable) return Failed(runtime.Problem ?? PythonRuntime.NotAvailable);
        var data = input.ToJsonString();
        await _turn.WaitAsync(ct);
        try
        {
            return Run(expression, data, timeout, lookupUser);
        }
        finally
        {
            _turn.Release();
        }
    }

    private ExpressionResult Run(string expression, string data, TimeSpan timeout, Func<string, string?> lookupUser)
    {
        using var gil = Py.GIL();
        PyObject function;
        try
        {
            function = Compiled(expression);
        }
        catch (PythonException e) when (e.Type.Name == "SyntaxError" || e.Type.Name == "IndentationError" || e.Type.Name == "TabError")
        {
            var problem = Check(expression);
            return Failed($"SyntaxError: {problem?.Message ?? e.Message}", problem?.Line ?? 0);
        }

        var finished = false;
        var thread = PythonEngine.GetPythonThreadID();
        // The timer takes the GIL before looking: while it holds it, "finished" cannot change, so an interrupt can only
        // land inside this evaluation, never in a later one on the same thread.
        using var watchdog = new Timer(_ =>
        {
            using (Py.GIL())
            {
                if (!Volatile.Read(ref finished)) PythonEngine.Interrupt(thread);
            }
        }, null, timeout, TimeSpan.FromMilliseconds(200));
        try
        {
            _run ??= runtime.Module.GetAttr("run");
            _lookup ??= PyObject.FromManagedObject(new Func<string, string?>(LookupOnThisThread));
            _currentLookup = lookupUser;
            using var text = new PyString(data);
            using var answer = _run.Invoke(function, text, _lookup);
            Volatile.Write(ref finished, true);
            var json = JsonNode.Parse(answer.As<string>())!.AsObject();
            return new ExpressionResult(
                Passing: (bool)json["passing"]!,
                Value: json["value"]?.DeepClone(),
                Messages: Strings(json["messages"]),
                Logs: Strings(json["logs"]),
                Error: (string?)json["error"],
                Line: (int?)json["line"] ?? 0);
        }
        catch (PythonException e) when (e.Type.Name == "KeyboardInterrupt")
        {
            Volatile.Write(ref finished, true);
            return Failed($"Timed out after {timeout.TotalSeconds:0.##} s", timedOut: true);
        }
        finally
        {
            Volatile.Write(ref finished, true);
            _currentLookup = null;
        }
    }

    private PyObject Compiled(string expression)
    {
        if (_compiled.TryGetValue(expression, out var cached)) return cached;
        if (_compiled.Count >= CacheLimit) _compiled.Clear(); // edited policies leave old texts behind; start over rather than grow
        var function = runtime.Module.InvokeMethod("compile_expression", new PyString(expression));
        _compiled[expression] = function;
        return function;
    }

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(n => n?.ToString() ?? "").ToList() : [];

    private static ExpressionResult Failed(string error, int line = 0, bool timedOut = false) => new(false, null, [], [], error, line, timedOut);
}
