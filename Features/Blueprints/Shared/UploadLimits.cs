
namespace Enrollment.Features.Blueprints.Shared;

public static class UploadLimits
{
    /// <summary>The largest blueprint file accepted (authentik's are a few KB; the engine bounds expansion on top).</summary>
    public const long MaxFileBytes = 5 * 1024 * 1024;

    /// <summary>The largest request: the file plus room for the context and the multipart framing.</summary>
    public const long MaxRequestBytes = MaxFileBytes + 1024 * 1024;

    public static string TooLarge => $"The file is larger than {MaxFileBytes / 1024 / 1024} MB; blueprints can be at most {MaxFileBytes / 1024 / 1024} MB.";
}
