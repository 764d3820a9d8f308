using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewEngines;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Enrollment.Infrastructure.Email;

/// <summary>
/// Exposes <c>&lt;DataDirectory&gt;/templates/email/*</c> to Razor as <c>/Templates/Email/*</c> and nothing else, so
/// files in the data directory can replace email templates but never a page.
/// </summary>
public sealed class EmailTemplateOverrides(string directory) : IFileProvider
{
    private const string Prefix = "/Templates/Email/";
    private readonly PhysicalFileProvider? files = Directory.CreateDirectory(directory).Exists
        ? new PhysicalFileProvider(directory) { UsePollingFileWatcher = true, UseActivePolling = false }
        : null;

    public IFileInfo GetFileInfo(string subpath) =>
        files is not null && Map(subpath) is { } mapped ? files.GetFileInfo(mapped) : new NotFoundFileInfo(subpath);

    public IDirectoryContents GetDirectoryContents(string subpath) =>
        files is not null && Map(subpath.TrimEnd('/') + "/") is { } mapped ? files.GetDirectoryContents(mapped) : NotFoundDirectoryContents.Singleton;

    public IChangeToken Watch(string filter) =>
        files is not null && Map(filter) is { } mapped ? files.Watch(mapped) : NullChangeToken.Singleton;

    private static string? Map(string path)
    {
        if (!path.StartsWith('/')) path = "/" + path;
        if (!path.StartsWith(Prefix, StringComparison.Ordinal) || path.Contains("..")) return null;
        return path[Prefix.Length..];
    }
}
