namespace Enrollment.Infrastructure.Python;

/// <summary>How one evaluation on a <see cref="PythonWorker"/> ended: its answer (the JSON of the result), or why there is none.</summary>
internal sealed record WorkerAnswer(WorkerAnswer.Ending How, string? Json = null, string? Problem = null)
{
    public enum Ending { Answered, NotSent, TimedOut, Died }

    public static readonly WorkerAnswer NotSent = new(Ending.NotSent, Problem: "the Python worker was gone before the evaluation reached it");
    public static readonly WorkerAnswer TimedOut = new(Ending.TimedOut);

    public static WorkerAnswer Of(string json) => new(Ending.Answered, json);

    public static WorkerAnswer Died(int? exitCode, string? detail = null) =>
        new(Ending.Died, Problem: $"the Python worker stopped during the evaluation ({(exitCode is { } c ? $"exit code {c}" : "no exit code")}{(detail is null ? "" : $"; {detail}")})");
}
