using System.Globalization;
using Enrollment.Domain;
using Microsoft.AspNetCore.Localization;

namespace Enrollment.Infrastructure.Localization;

/// <summary>The language texts are being written in, as a culture: the request's (pages) or one set for an email.</summary>
public static class Cultures
{
    /// <summary>The supported language of the current culture; English where none was chosen (jobs, the admin console).</summary>
    public static string Current => Languages.Match(CultureInfo.CurrentUICulture.Name) ?? Languages.Supported[0];

    public static CultureInfo Of(string language) => CultureInfo.GetCultureInfo(Languages.Match(language) ?? Languages.Supported[0]);

    /// <summary>
    /// Texts, dates and numbers in <paramref name="language"/> from here on, for the rest of the calling async method
    /// and what it calls (the culture lives in the execution context: the caller keeps its own).
    /// </summary>
    public static void Use(string language)
    {
        var culture = Of(language);
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
    }

    /// <summary>What a request-culture provider answers for <paramref name="asked"/>: its language when we have it, else nothing.</summary>
    public static Task<ProviderCultureResult?> Answer(string? asked) =>
        Task.FromResult(Languages.Match(asked) is { } language ? new ProviderCultureResult(language) : null);
}
