using Microsoft.Playwright;

namespace Enrollment.Tests.Kit.Browser;

/// <summary>What several browser tests look for on a page, and how they name their runs with and without JavaScript.</summary>
public static class BrowserKit
{
    /// <summary>"js" or "nojs": a suffix that keeps the data of the two runs of a theory apart.</summary>
    public static string Mode(bool javaScript) => javaScript ? "js" : "nojs";

    /// <summary>The form control whose label is exactly <paramref name="label"/>.</summary>
    public static ILocator Field(IPage page, string label) => page.GetByLabel(label, new() { Exact = true });

    /// <summary>The error shown in the <c>.field</c> of the control labelled <paramref name="label"/>.</summary>
    public static ILocator FieldError(IPage page, string label) =>
        page.Locator(".field", new() { Has = Field(page, label) }).Locator(".field-error");
}
