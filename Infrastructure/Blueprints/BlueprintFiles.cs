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
