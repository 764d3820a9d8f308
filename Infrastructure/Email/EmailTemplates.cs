using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewEngines;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Enrollment.Infrastructure.Email;

/// <summary>
/// Renders email bodies from Razor templates, outside any request (jobs send mail). A template named as authentik
/// names them, <c>email/invitation.html</c>, is <c>Templates/Email/invitation.cshtml</c> (HTML) plus
/// <c>invitation.txt.cshtml</c> (plain text) in the project; a file of the same name in
/// <c>&lt;DataDirectory&gt;/templates/email/</c> replaces it (compiled at run time), and adds new templates.
/// </summary>
public sealed partial class EmailTemplates(IRazorViewEngine views, ITempDataProvider tempData, IServiceScopeFactory scopes)
{
    public const string Invitation = "email/invitation.html";
    public const string AccountConfirmation = "email/account_confirmation.html";

    [GeneratedRegex(@"^email/[a-z0-9][a-z0-9_\-]{0,99}\.html$")]
    private static partial Regex NamePattern();

    /// <summary>Template names are typed by admins (API, email stage): only a bare file name under <c>email/</c>.</summary>
    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    public bool Exists(string name) => IsValidName(name) && Find(HtmlPath(name)) is not null;

    public async Task<RenderedEmail> RenderAsync(string name, object model, CancellationToken ct)
    {
        if (!IsValidName(name)) throw new ArgumentException($"\"{name}\" is not a template name like email/invitation.html.", nameof(name));
        var html = Find(HtmlPath(name)) ?? throw new FileNotFoundException($"There is no email template \"{name}\".");
        var text = Find(HtmlPath(name)[..^".cshtml".Length] + ".txt.cshtml");
        // A scope per email: Razor's view buffers (IViewBufferScope) are scoped and not thread-safe. Shared through
        // the root provider, concurrent jobs wrote into each other's buffers — one recipient's link in another's
        // mail — and the pooled pages were never returned.
        await using var scope = scopes.CreateAsyncScope();
        return new RenderedEmail(await RenderAsync(scope.ServiceProvider, html, model),
            text is null ? "" : (await RenderAsync(scope.ServiceProvider, text, model)).Trim() + "\n");
    }

    private static string HtmlPath(string name) => "/Templates/Email/" + name["email/".Length..^".html".Length] + ".cshtml";

    private IView? Find(string path)
    {
        var result = views.GetView(executingFilePath: null, viewPath: path, isMainPage: true);
        return result.Success ? result.View : null;
    }

    private async Task<string> RenderAsync(IServiceProvider services, IView view, object model)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        var action = new ActionContext(http, new Microsoft.AspNetCore.Routing.RouteData(), new ActionDescriptor());
        await using var writer = new StringWriter();
        var viewData = new ViewDataDictionary(new EmptyModelMetadataProvider(), new ModelStateDictionary()) { Model = model };
        var context = new ViewContext(action, view, viewData, new TempDataDictionary(http, tempData), writer, new HtmlHelperOptions());
        await view.RenderAsync(context);
        return writer.ToString();
    }
}
