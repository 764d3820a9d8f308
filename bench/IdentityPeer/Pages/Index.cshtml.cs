using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityPeer.Pages;

public class IndexModel : PageModel
{
    public void OnGet()
    {

    }
}
