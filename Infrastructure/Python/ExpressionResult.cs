using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Python.Runtime;

namespace Enrollment.Infrastructure.Python;

/// <summary>What one evaluation produced: the result, the <c>ak_message</c> texts, the <c>ak_logger</c> lines, or an error.</summary>
public sealed record ExpressionResult(bool Passing, JsonNode? Value, IReadOnlyList<string> Messages, IReadOnlyList<string> Logs,
    string? Error = null, int Line = 0, bool TimedOut = false);
