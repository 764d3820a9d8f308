using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Enrollment.Infrastructure.Web;

public static class FormExtensions
{
    /// <summary>Copies a command's errors into ModelState under the form's prefix (e.g. <c>Input.</c>).</summary>
    public static void AddErrors(this ModelStateDictionary modelState, IEnumerable<FieldError> errors, string prefix = "Input")
    {
        foreach (var e in errors)
            modelState.AddModelError(e.Field.Length == 0 ? "" : $"{prefix}.{e.Field}", e.Message);
    }
}
