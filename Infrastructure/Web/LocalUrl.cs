namespace Enrollment.Infrastructure.Web;

public static class LocalUrl
{
    /// <summary>A path on this site, never another one ("//host" and "/\host" are other sites to browsers).</summary>
    public static bool IsSafe(string? url) =>
        url is { Length: > 0 } u && u[0] == '/' && !u.StartsWith("//", StringComparison.Ordinal) && !u.StartsWith("/\\", StringComparison.Ordinal);
}
