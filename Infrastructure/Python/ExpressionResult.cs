using System.Text.Json.Nodes;

namespace Enrollment.Infrastructure.Python;

/// <summary>What one evaluation produced: the result, the <c>ak_message</c> texts, the <c>ak_logger</c> lines, or an error.</summary>
public sealed record ExpressionResult(bool Passing, JsonNode? Value, IReadOnlyList<string> Messages, IReadOnlyList<string> Logs,
    string? Error = null, int Line = 0, bool TimedOut = false)
{
    /// <summary>The answer of <c>policy_runtime.run</c>: <c>{"passing", "value", "messages", "logs", "error"?, "line"?}</c>.</summary>
    public static ExpressionResult FromJson(string text)
    {
        var json = JsonNode.Parse(text)!.AsObject();
        return new ExpressionResult(
            Passing: (bool)json["passing"]!,
            Value: json["value"]?.DeepClone(),
            Messages: Strings(json["messages"]),
            Logs: Strings(json["logs"]),
            Error: (string?)json["error"],
            Line: (int?)json["line"] ?? 0);
    }

    public static ExpressionResult Failed(string error, int line = 0, bool timedOut = false) => new(false, null, [], [], error, line, timedOut);

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(n => n?.ToString() ?? "").ToList() : [];
}
