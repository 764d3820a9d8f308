using Enrollment.Resources;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enrollment.Tests.Kit;

/// <summary>The app's own texts (the compiled resources and satellite assemblies), read as the server reads them.</summary>
public static class Localizers
{
    private static readonly ResourceManagerStringLocalizerFactory Factory = new(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance);

    /// <summary>Flow texts in the calling thread's UI culture (set <see cref="System.Globalization.CultureInfo.CurrentUICulture"/> for another language).</summary>
    public static IStringLocalizer<FlowTexts> Flow { get; } = new StringLocalizer<FlowTexts>(Factory);
}
