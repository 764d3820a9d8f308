using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Python.Runtime;

namespace Enrollment.Infrastructure.Python;

public sealed record SyntaxProblem(int Line, string Message)
{
    public override string ToString() => $"Line {Line}: {Message}";
}
