using System.ComponentModel.DataAnnotations;
using Enrollment.Infrastructure.Audit;
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
    }

    internal sealed class Handler(AppDbContext db, AuditTrail audit, BrandTitle title) : IQueryHandler<Query, Command?>, ICommandHandler<Command, FormResult<Guid>?>
    {
        public async ValueTask<Command?> Handle(Query query, CancellationToken ct) =>
            await db.Brands.AsNoTracking().Where(b => b.Default)
                .Select(b => new Command { BrandingTitle = b.BrandingTitle, DefaultApplicationUrl = b.DefaultApplicationUrl })
                .FirstOrDefaultAsync(ct);

        public async ValueTask<FormResult<Guid>?> Handle(Command command, CancellationToken ct)
        {
            var brand = await db.Brands.FirstOrDefaultAsync(b => b.Default, ct);
            if (brand is null) return null;
            var url = string.IsNullOrWhiteSpace(command.DefaultApplicationUrl) ? null : command.DefaultApplicationUrl.Trim();
            // External users are redirected here, so only a web address may be stored: never javascript:, data: or a relative path.
            if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
                return FormResult<Guid>.Fail(nameof(Command.DefaultApplicationUrl), "Enter an absolute address starting with http:// or https://.");
            brand.BrandingTitle = command.BrandingTitle.Trim();
            brand.DefaultApplicationUrl = url;
            audit.Record("model_updated", AuditTrail.Model("authentik_brands", brand.Domain, brand.Id, "brand"));
            await db.SaveChangesAsync(ct);
            title.Forget();
            return FormResult<Guid>.Ok(brand.Id);
        }
    }
}
