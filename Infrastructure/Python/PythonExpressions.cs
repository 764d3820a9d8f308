using System.Text.Json.Nodes;
using Python.Runtime;

namespace Enrollment.Infrastructure.Python;

/// <summary>
/// Expressions as policies and prompts use them: a syntax check in the server's own embedded CPython, and
/// evaluations in the <see cref="PythonWorkerPool"/>'s worker processes, where a stuck expression is stopped at its
/// timeout by killing its worker while the other workers go on.
/// </summary>
public sealed class PythonExpressions(PythonRuntime runtime, PythonWorkerPool pool)
{
    public bool IsAvailable => runtime.IsAvailable;
    public string? Problem => runtime.Problem;

    /// <summary>null when the expression compiles; else the line (of the expression) and the message.</summary>
    /// <remarks>
    /// In the server's process, not a worker: compiling runs none of the expression's code and takes time in
    /// proportion to its length (CPython bounds constant folding), so it cannot get stuck; it is synchronous for the
    /// blueprint importer; and saving a policy must not queue behind evaluations for a free worker.
    /// </remarks>
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
    public Task<ExpressionResult> EvaluateAsync(string expression, JsonObject input, TimeSpan timeout, Func<string, string?> lookupUser, CancellationToken ct) =>
        runtime.IsAvailable
            ? pool.EvaluateAsync(expression, input, timeout, lookupUser, ct)
            : Task.FromResult(ExpressionResult.Failed(runtime.Problem ?? PythonRuntime.NotAvailable));
}
