namespace Enrollment.Infrastructure.Blueprints;

/// <summary>
/// What <c>!File</c> may read: text files under the configured blueprints folder, nothing else. Blueprints come
/// from outside (downloaded, pasted), so a path must not reach the app's settings, keys or database; symbolic
/// links are followed before the check so they cannot lead out either.
/// </summary>
public sealed class BlueprintFiles(string root)
{
    public const int MaxFileBytes = 1024 * 1024;

    private readonly string _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));

    /// <summary>The blueprints folder, a full path without a trailing separator.</summary>
    public string Root => _root;

    /// <summary>
    /// <c>Blueprints:Root</c> (relative to the content root), else the app's <c>blueprints</c> folder: under the
    /// content root, or beside the app's binaries when the content root has none (a published app started elsewhere).
    /// </summary>
    public static string RootFor(string? configured, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured, contentRoot);
        var underContent = Path.Combine(contentRoot, "blueprints");
        var besideApp = Path.Combine(AppContext.BaseDirectory, "blueprints");
        return Directory.Exists(underContent) || !Directory.Exists(besideApp) ? underContent : besideApp;
    }

    /// <summary>The YAML files under the folder, as paths relative to it with '/', in order.</summary>
    public IReadOnlyList<string> List()
    {
        if (!Directory.Exists(_root)) return [];
        return Directory.EnumerateFiles(_root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
            .Where(IsYaml)
            .Select(f => Path.GetRelativePath(_root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>A blueprint file of an instance: a relative YAML path under the folder; null when it does not exist.</summary>
    /// <exception cref="BlueprintException">The path is not a YAML file under the folder, or the file is too large.</exception>
    public (string Text, DateTime Modified)? ReadBlueprint(string relative)
    {
        if (!IsYaml(relative) || Path.IsPathRooted(relative) || relative.Split('/', '\\').Any(part => part is ".." or "." or ""))
            throw new BlueprintException($"'{relative}' is not the path of a YAML file under the blueprints folder.", "path");
        var full = Path.GetFullPath(relative, _root);
        var text = Read(relative);
        return text is null ? null : (text, File.GetLastWriteTimeUtc(full));
    }

    /// <summary>authentik's <c>last_applied_hash</c>: SHA-512 of the text, in lower-case hex.</summary>
    public static string Hash(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    /// <returns>The text, or null when the file does not exist (authentik then uses the tag's default).</returns>
    /// <exception cref="BlueprintException">The path leads outside the folder, or the file is too large.</exception>
    public string? Read(string path)
    {
        if (path.Length == 0 || path.Contains('\0'))
            throw new BlueprintException("!File: the path is empty or invalid.");
        var full = Path.GetFullPath(path, _root);
        if (!Inside(full, _root) || !Inside(RealPath(full), RealPath(_root)))
            throw new BlueprintException($"!File: '{path}' is outside the blueprints folder; only files under it can be read.");
        var info = new FileInfo(full);
        if (!info.Exists) return null;
        if (info.Length > MaxFileBytes)
            throw new BlueprintException($"!File: '{path}' is larger than {MaxFileBytes / 1024} KB.");
        try
        {
            return File.ReadAllText(full);
        }
        catch (IOException e)
        {
            throw new BlueprintException($"!File: '{path}' cannot be read: {e.Message}");
        }
        catch (UnauthorizedAccessException)
        {
            throw new BlueprintException($"!File: '{path}' cannot be read: access denied.");
        }
    }

    private static bool Inside(string full, string root) =>
        full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The path with every symbolic link on it (the file and its folders) resolved.</summary>
    private static string RealPath(string full)
    {
        var parts = full.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = Path.GetPathRoot(full) ?? "/";
        foreach (var part in parts)
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.Exists && info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                current = target.FullName;
        }
        return current;
    }
}
