
namespace Enrollment.Features.Blueprints.Shared;

public static class UploadLimits
{
    /// <summary>The largest blueprint file accepted (authentik's are a few KB; the engine bounds expansion on top).</summary>
    public const long MaxFileBytes = 5 * 1024 * 1024;

    /// <summary>The largest request: the file plus room for the context and the multipart framing.</summary>
    public const long MaxRequestBytes = MaxFileBytes + 1024 * 1024;

    public static string TooLarge => $"The file is larger than {MaxFileBytes / 1024 / 1024} MB; blueprints can be at most {MaxFileBytes / 1024 / 1024} MB.";
}

/// <summary>A blueprint upload over the request limit: 413 with the limit, not a bare 400 or a 500.</summary>
public sealed class OversizeUploadIs413Attribute : Infrastructure.Web.OversizeFormIs413Attribute
{
    protected override string Title => "File too large";
    protected override string Message => UploadLimits.TooLarge;
    protected override string NothingDone => "Nothing was changed.";
}
