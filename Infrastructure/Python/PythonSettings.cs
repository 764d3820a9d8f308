using System.Globalization;

namespace Enrollment.Infrastructure.Python;

/// <summary>
/// <c>Python:Workers</c>: how many worker processes evaluate expressions side by side (default: the number of cores,
/// at least 2, so one stuck expression never holds up all the others). <c>Python:Library</c> is read by
/// <see cref="PythonRuntime"/>.
/// </summary>
public sealed record PythonSettings(int Workers)
{
    public static int DefaultWorkers => Math.Max(2, Environment.ProcessorCount);

    public static PythonSettings From(IConfiguration config)
    {
        var text = config["Python:Workers"];
        if (string.IsNullOrWhiteSpace(text)) return new(DefaultWorkers);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var workers) || workers is < 1 or > 256)
            throw new InvalidOperationException($"Python:Workers must be a whole number from 1 to 256, not '{text}'.");
        return new(workers);
    }
}
