using Enrollment.Domain;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Enrollment.Infrastructure.Web;

/// <summary>Drop-down choices for an enum, valued by authentik's names and labelled for people.</summary>
public static class Choices
{
    public static IEnumerable<SelectListItem> For<T>(bool withEmpty = false) where T : struct, Enum
    {
        if (withEmpty) yield return new SelectListItem("---------", "");
        foreach (var name in Wire.Names<T>()) yield return new SelectListItem(Label(name), name);
    }

    public static string Label(string wireName)
    {
        var words = wireName.Replace('_', ' ').Replace('-', ' ');
        return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
    }

    public static string Label<T>(T value) where T : struct, Enum => Label(Wire.Name(value));
}
