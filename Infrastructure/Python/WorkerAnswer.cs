using System.Text.Json.Nodes;

namespace Enrollment.Infrastructure.Python;

/// <summary>How one evaluation on a <see cref="PythonWorker"/> ended: its result, or why there is none.</summary>
internal sealed record WorkerAnswer(WorkerAnswer.Ending How, ExpressionResult? Result = null, string? Problem = null)
{
    public enum Ending { Answered, NotSent, TimedOut, Died }

    public static readonly WorkerAnswer NotSent = new(Ending.NotSent, Problem: "the Python worker was gone before the evaluation reached it");
    public static readonly WorkerAnswer TimedOut = new(Ending.TimedOut);

    public static WorkerAnswer Of(ExpressionResult result) => new(Ending.Answered, result);

    /// <summary>Most answers: True or False, no messages, no log lines (the value is a node of its own for each caller).</summary>
    public static WorkerAnswer Plain(bool passing) => new(Ending.Answered, new ExpressionResult(passing, JsonValue.Create(passing), [], []));

    public static WorkerAnswer Died(int? exitCode, string? detail = null) =>
        new(Ending.Died, Problem: $"the Python worker stopped during the evaluation ({(exitCode is { } c ? $"exit code {c}" : "no exit code")}{(detail is null ? "" : $"; {detail}")})");
}
