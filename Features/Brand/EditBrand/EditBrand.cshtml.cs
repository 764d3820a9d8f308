using System.ComponentModel.DataAnnotations;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Serialization;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Brand.EditBrand;

public sealed class EditBrand(ISender sender) : PageModel
{
    [BindProperty] public Command Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync()
    {
        var form = await sender.Send(new Query());
        if (form is null) return NotFound();
        Input = form;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        var result = await sender.Send(Input);
        if (result is null) return NotFound();
        if (!result.Succeeded)
        {
            ModelState.AddErrors(result.Errors);
            return Page();
        }
        TempData["Flash"] = "Brand saved.";
        return Redirect("/if/admin/brand/");
    }

    public sealed record Query : IQuery<Command?>;

    public sealed class Command : ICommand<FormResult<Guid>?>
    {
        [Required(ErrorMessage = "Enter a title.")]
        [StringLength(200)]
        public string BrandingTitle { get; set; } = "";

        [StringLength(2000)]
        public string? DefaultApplicationUrl { get; set; }

        [StringLength(BrandAssets.MaxUrlLength, ErrorMessage = "Use at most 2000 characters.")]
        public string? BrandingLogo { get; set; }

        [StringLength(BrandAssets.MaxUrlLength, ErrorMessage = "Use at most 2000 characters.")]
        public string? BrandingFavicon { get; set; }

        [StringLength(BrandAssets.MaxUrlLength, ErrorMessage = "Use at most 2000 characters.")]
        public string? BrandingDefaultFlowBackground { get; set; }

        [StringLength(BrandAssets.MaxCustomCssLength, ErrorMessage = "The stylesheet may be at most 64 KB.")]
        public string? BrandingCustomCss { get; set; }

        public string? DefaultLocale { get; set; }

        /// <summary>JSON or YAML, as typed.</summary>
        [StringLength(65536, ErrorMessage = "Attributes may be at most 64 KB.")]
        public string? Attributes { get; set; }
    }

    internal sealed class Handler(AppDbContext db, AuditTrail audit, BrandTitle title) : IQueryHandler<Query, Command?>, ICommandHandler<Command, FormResult<Guid>?>
    {
        public async ValueTask<Command?> Handle(Query query, CancellationToken ct) =>
            await db.Brands.AsNoTracking().Where(b => b.Default)
                .Select(b => new Command
                {
                    BrandingTitle = b.BrandingTitle, DefaultApplicationUrl = b.DefaultApplicationUrl, BrandingLogo = b.BrandingLogo,
                    BrandingFavicon = b.BrandingFavicon, BrandingDefaultFlowBackground = b.BrandingDefaultFlowBackground,
                    BrandingCustomCss = b.BrandingCustomCss, DefaultLocale = b.DefaultLocale,
                    Attributes = b.Attributes.Count == 0 ? "" : StructuredText.Format(b.Attributes),
                })
                .FirstOrDefaultAsync(ct);

        public async ValueTask<FormResult<Guid>?> Handle(Command command, CancellationToken ct)
        {
            var brand = await db.Brands.FirstOrDefaultAsync(b => b.Default, ct);
            if (brand is null) return null;
            var url = string.IsNullOrWhiteSpace(command.DefaultApplicationUrl) ? null : command.DefaultApplicationUrl.Trim();
            // External users are redirected here, so only a web address may be stored: never javascript:, data: or a relative path.
            var errors = new List<FieldError>();
            if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
                errors.Add(new(nameof(Command.DefaultApplicationUrl), "Enter an absolute address starting with http:// or https://."));
            var logo = Asset(command.BrandingLogo, nameof(Command.BrandingLogo), errors);
            var favicon = Asset(command.BrandingFavicon, nameof(Command.BrandingFavicon), errors);
            var background = Asset(command.BrandingDefaultFlowBackground, nameof(Command.BrandingDefaultFlowBackground), errors);
            var locale = command.DefaultLocale?.Trim() ?? "";
            if (BrandBlueprint.CheckLocale(locale) is { } localeError) errors.Add(new(nameof(Command.DefaultLocale), localeError));
            var attributes = StructuredText.ParseObject(command.Attributes);
            if (attributes.Error is not null) errors.Add(new(nameof(Command.Attributes), attributes.Error));
            if (errors.Count > 0) return new FormResult<Guid>(default, errors);

            brand.BrandingTitle = command.BrandingTitle.Trim();
            brand.DefaultApplicationUrl = url;
            brand.BrandingLogo = logo;
            brand.BrandingFavicon = favicon;
            brand.BrandingDefaultFlowBackground = background;
            brand.BrandingCustomCss = command.BrandingCustomCss ?? "";
            brand.DefaultLocale = locale;
            brand.Attributes = attributes.Value!;
            audit.Record("model_updated", AuditTrail.Model("authentik_brands", brand.Domain, brand.Id, "brand"));
            await db.SaveChangesAsync(ct);
            title.Forget();
            return FormResult<Guid>.Ok(brand.Id);
        }

        private static string Asset(string? value, string field, List<FieldError> errors)
        {
            var url = value?.Trim() ?? "";
            if (BrandAssets.Check(url) is { } error) errors.Add(new(field, error));
            return url;
        }
    }
}
