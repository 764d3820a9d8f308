using Enrollment.Infrastructure.Blueprints;

namespace Enrollment.Infrastructure;

/// <summary>
/// The default blueprints: the files of the <c>default</c> folder under the blueprints folder (another subfolder with
/// <c>Blueprints:Defaults</c>). They are blueprint instances like every other file, with one rule more, kept from
/// before instances existed: on a database that already has flows (or where they were applied before), a default
/// file found for the first time is recorded without being applied, so a default flow the admin deleted does not come
/// back; it is applied again only when the file changes (an upgrade). <c>Blueprints:ApplyDefaults=false</c> leaves
/// them out altogether: no instance, never applied.
/// </summary>
public static class DefaultBlueprints
{
    public const string InstantiateLabel = BlueprintMetadata.InstantiateLabel;

    /// <summary>The event recorded when a default blueprint was applied on a first start.</summary>
    public const string AppliedAction = "blueprint_applied";

    /// <summary><c>Blueprints:ApplyDefaults</c> (default true).</summary>
    public static bool Enabled(IConfiguration config) => config.GetValue("Blueprints:ApplyDefaults", true);

    /// <summary>The prefix (relative to the blueprints folder, with '/') of the default files.</summary>
    public static string? Prefix(IConfiguration config)
    {
        var folder = (config["Blueprints:Defaults"] is { Length: > 0 } configured ? configured : "default").Replace('\\', '/').Trim('/');
        return folder.Length == 0 ? null : folder + "/";
    }
}
