using Enrollment.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Pages;

public sealed class Home(BrandTitle brand) : PageModel
{
    public string BrandTitle { get; private set; } = "";

    public async Task OnGetAsync() => BrandTitle = await brand.GetAsync();
}
