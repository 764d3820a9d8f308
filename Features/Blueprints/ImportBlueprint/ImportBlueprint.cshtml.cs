using System.Text;
using Enrollment.Features.Blueprints.Shared;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Serialization;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Features.Blueprints.ImportBlueprint;

/// <summary>Flows and Stages › Flows › Import: upload a blueprint file, optionally with context, or only validate it.</summary>
[RequestSizeLimit(UploadLimits.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = UploadLimits.MaxRequestBytes)]
[OversizeUploadIs413]
public sealed class ImportBlueprint(ISender sender) : PageModel
{
    [BindProperty] public IFormFile? BlueprintFile { get; set; }
    [BindProperty] public string? Context { get; set; }
    [BindProperty] public bool DryRun { get; set; }

    public BlueprintResult? Result { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var context = StructuredText.ParseObject(Context);
        if (context.Error is not null) ModelState.AddModelError(nameof(Context), context.Error);
        if (BlueprintFile is null || BlueprintFile.Length == 0) ModelState.AddModelError(nameof(BlueprintFile), "Choose a blueprint file (YAML) to import.");
        else if (BlueprintFile.Length > UploadLimits.MaxFileBytes) ModelState.AddModelError(nameof(BlueprintFile), UploadLimits.TooLarge);
        if (!ModelState.IsValid) return this.PageOrPartial("_ImportPanel", this);

        string yaml;
        using (var reader = new StreamReader(BlueprintFile!.OpenReadStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
            yaml = await reader.ReadToEndAsync(ct);
        Result = await sender.Send(new RunBlueprint.Command(yaml, context.Value!, DryRun), ct);
        return this.PageOrPartial("_ImportPanel", this);
    }
}
