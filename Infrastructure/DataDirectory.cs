namespace Enrollment.Infrastructure;

public sealed record DataDirectory(string Path);
