
namespace Enrollment.Features.Blueprints.Shared;

/// <summary>A blueprint upload over the request limit: 413 with the limit, not a bare 400 or a 500.</summary>
public sealed class OversizeUploadIs413Attribute : Infrastructure.Web.OversizeFormIs413Attribute
{
    protected override string Title => "File too large";
    protected override string Message => UploadLimits.TooLarge;
    protected override string NothingDone => "Nothing was changed.";
}
