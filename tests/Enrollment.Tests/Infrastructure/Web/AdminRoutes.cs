using System.Text.RegularExpressions;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Infrastructure.Web;

/// <summary>
/// The admin pages as the running app knows them: every Razor page endpoint whose route starts with <c>if/admin</c>.
/// A page added later is found here without anyone editing a list.
/// </summary>
public static partial class AdminRoutes
{
    /// <summary>A route template as written in <c>@page</c>: <c>/if/admin/flows/{slug}/</c>.</summary>
    public static string Template(RoutePattern pattern) => "/" + (pattern.RawText ?? "").Trim('/') + "/";

    public static IReadOnlyList<RoutePattern> Discover(EnrollmentApp app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Where(e => (e.RoutePattern.RawText ?? "").TrimStart('/').StartsWith("if/admin", StringComparison.OrdinalIgnoreCase))
            .Select(e => e.RoutePattern)
            .DistinctBy(p => p.RawText)
            .OrderBy(p => p.RawText, StringComparer.Ordinal)
            .ToList();

    /// <summary>The <c>@page "/if/admin…"</c> routes declared in the source tree, or null when the sources are not beside the build.</summary>
    public static IReadOnlyList<string>? FromSources()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Enrollment.csproj"))) dir = dir.Parent;
        if (dir is null) return null;
        return Directory.EnumerateFiles(dir.FullName, "*.cshtml", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                        && !f.Contains($"{Path.DirectorySeparatorChar}tests{Path.DirectorySeparatorChar}"))
            .Select(f => PageDirective().Match(File.ReadLines(f).FirstOrDefault() ?? ""))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    [GeneratedRegex("^@page \"(/if/admin[^\"]*)\"")]
    private static partial Regex PageDirective();

    /// <summary>
    /// Builds a URL from <paramref name="pattern"/>; <paramref name="value"/> answers each parameter's value given the
    /// literal segment before it (or null to leave out an optional one).
    /// </summary>
    public static string Url(RoutePattern pattern, Func<string?, RoutePatternParameterPart, string?> value)
    {
        var parts = new List<string>();
        string? previousLiteral = null;
        foreach (var segment in pattern.PathSegments)
        {
            var text = "";
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        text += literal.Content;
                        previousLiteral = literal.Content;
                        break;
                    case RoutePatternParameterPart parameter:
                        var v = value(previousLiteral, parameter);
                        if (v is null && !parameter.IsOptional) throw new Xunit.Sdk.XunitException($"No value for {{{parameter.Name}}} in {pattern.RawText}");
                        text += v is null ? "" : Uri.EscapeDataString(v);
                        break;
                }
            }
            if (text.Length > 0) parts.Add(text);
        }
        return "/" + string.Join("/", parts) + "/";
    }
}
