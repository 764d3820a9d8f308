using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityPeer.Pages;

public class PrivacyModel : PageModel
{
    public void OnGet()
    {
    }
}

