using System.ComponentModel.DataAnnotations;

namespace Enrollment.Infrastructure.Web;

/// <summary>Slugs as authentik allows them: letters, digits, '-' and '_'.</summary>
public sealed class SlugAttribute() : RegularExpressionAttribute("^[-a-zA-Z0-9_]+$")
{
    public override string FormatErrorMessage(string name) => "Use only letters, digits, '-' and '_'.";
}
