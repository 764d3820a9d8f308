using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Resources;
using System.Text.RegularExpressions;
using Enrollment.Domain;
using Enrollment.Features.FlowExecution;
using Enrollment.Features.Stages.Deny;
using Enrollment.Features.Stages.Email;
using Enrollment.Features.Stages.Prompt;
using Enrollment.Resources;

namespace Enrollment.Tests.Resources;

/// <summary>
/// Every text an invitee may read exists in every language, as the server ships it (the compiled resources and the
/// satellite assemblies, not the source files): no language lacks a text English has or has one English lacks, none is
/// empty, and each translation names the same values (<c>{0}</c>, <c>{1:N0}</c>) and the same markup as the English.
/// </summary>
public sealed partial class TranslationTests
{
    private static readonly Assembly App = typeof(FlowTexts).Assembly;

    /// <summary>Every resource file of the app: <c>Resources/FlowTexts.resx</c> is <c>Enrollment.Resources.FlowTexts</c>.</summary>
    private static List<string> BaseNames() =>
        App.GetManifestResourceNames().Where(n => n.EndsWith(".resources", StringComparison.Ordinal))
            .Select(n => n[..^".resources".Length]).Order(StringComparer.Ordinal).ToList();

    public static TheoryData<string> ResourceFiles() => new(BaseNames());

    public static TheoryData<string, string> FilesAndLanguages()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in BaseNames())
            foreach (var language in Languages.Supported.Skip(1))
                data.Add(file, language);
        return data;
    }

    private static Dictionary<string, string> Texts(string baseName, CultureInfo culture)
    {
        // tryParents: false — a text missing from a language must not be filled in from English.
        var set = new ResourceManager(baseName, App).GetResourceSet(culture, createIfNotExists: true, tryParents: false)
                  ?? throw new Xunit.Sdk.XunitException($"{baseName} has no resources for {(culture.Name.Length == 0 ? "English" : culture.Name)} (no {culture.Name}.resx, or its satellite assembly was not built).");
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => e.Value as string ?? "", StringComparer.Ordinal);
    }

    [Fact]
    public void The_app_has_resource_files_for_flows_pages_and_emails() =>
        Assert.Equal(["Enrollment.Resources.EmailTexts", "Enrollment.Resources.FlowTexts", "Enrollment.Resources.PageTexts"], BaseNames());

    [Theory]
    [MemberData(nameof(ResourceFiles))]
    public void English_texts_are_not_empty(string baseName)
    {
        var empty = Texts(baseName, CultureInfo.InvariantCulture).Where(t => string.IsNullOrWhiteSpace(t.Value)).Select(t => t.Key).ToList();
        Assert.True(empty.Count == 0, $"{baseName}: empty English texts: {string.Join(" | ", empty)}");
    }

    [Theory]
    [MemberData(nameof(FilesAndLanguages))]
    public void Every_language_has_every_english_text_and_no_other(string baseName, string language)
    {
        var english = Texts(baseName, CultureInfo.InvariantCulture);
        var translated = Texts(baseName, CultureInfo.GetCultureInfo(language));
        var missing = english.Keys.Where(k => !translated.TryGetValue(k, out var t) || string.IsNullOrWhiteSpace(t)).ToList();
        var extra = translated.Keys.Where(k => !english.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, $"{baseName}.{language}.resx lacks (or leaves empty) {missing.Count} text(s): {string.Join(" | ", missing)}");
        Assert.True(extra.Count == 0, $"{baseName}.{language}.resx has {extra.Count} text(s) English lacks: {string.Join(" | ", extra)}");
    }

    [Theory]
    [MemberData(nameof(FilesAndLanguages))]
    public void Translations_name_the_same_values_and_markup_as_english(string baseName, string language)
    {
        var english = Texts(baseName, CultureInfo.InvariantCulture);
        var translated = Texts(baseName, CultureInfo.GetCultureInfo(language));
        var wrong = new List<string>();
        foreach (var (key, value) in english)
        {
            if (!translated.TryGetValue(key, out var translation)) continue; // the test above says so
            if (Problem(value) is { } own) wrong.Add($"English “{key}”: {own}");
            if (Problem(translation) is { } bad) wrong.Add($"“{key}” in {language}: {bad}");
            if (!Placeholders(value).SequenceEqual(Placeholders(translation)))
                wrong.Add($"“{key}”: English names {string.Join(" ", Placeholders(value))}, {language} names {string.Join(" ", Placeholders(translation))}");
            if (!Tags(value).SequenceEqual(Tags(translation)))
                wrong.Add($"“{key}”: English has markup {string.Join(" ", Tags(value))}, {language} has {string.Join(" ", Tags(translation))}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>The values a text names, each once, in order: <c>{0}</c>, <c>{0:D}</c>, <c>{1:N0}</c>.</summary>
    private static List<string> Placeholders(string text) =>
        Placeholder().Matches(text.Replace("{{", "").Replace("}}", "")).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal).ToList();

    private static List<string> Tags(string text) => Tag().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal).ToList();

    /// <summary>A brace that starts or ends no placeholder would make string.Format throw when the text is shown.</summary>
    private static string? Problem(string text)
    {
        var rest = Placeholder().Replace(text.Replace("{{", "").Replace("}}", ""), "");
        return rest.Contains('{') || rest.Contains('}') ? "a brace outside a placeholder (write {{ or }})" : null;
    }

    [GeneratedRegex(@"\{\d+(,-?\d+)?(:[^{}]*)?\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"</?[a-z][^>]*>")]
    private static partial Regex Tag();

    /// <summary>
    /// Messages the code keeps as English constants are looked up by that text: a constant edited without its
    /// translations would silently read in English.
    /// </summary>
    [Fact]
    public void The_messages_kept_as_english_constants_have_their_translations()
    {
        static IEnumerable<string> Constants(Type type) =>
            type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!);
        var flow = Texts("Enrollment.Resources.FlowTexts", CultureInfo.InvariantCulture);
        var page = Texts("Enrollment.Resources.PageTexts", CultureInfo.InvariantCulture);
        var flowMessages = Constants(typeof(InvitationMessages)).Concat(Constants(typeof(PolicyMessages))).Concat(Constants(typeof(EmailLinkMessages)))
            .Concat(Constants(typeof(EmailStageMessages)))
            .Concat([
                InvitationAddresses.WrongAddress, InvitationAddresses.WrongDomainOne, InvitationAddresses.WrongDomainMany, InvitationAddresses.MoreDomains,
                User.UsernameIsAnotherEmail, DenyStage.DefaultMessage, PromptValues.TooLong,
            ]);
        var missing = flowMessages.Where(m => !flow.ContainsKey(m))
            .Concat(new[] { Enrollment.Infrastructure.Data.DatabaseUnavailable.Message }.Where(m => !page.ContainsKey(m)))
            .ToList();
        Assert.True(missing.Count == 0, "Without a translation: " + string.Join(" | ", missing));
    }

    /// <summary>
    /// The resource compiler keeps one of two names that differ only in case and drops the other with a warning, in
    /// English and every language alike, so the tests on compiled resources cannot see it: read the sources.
    /// </summary>
    [SkippableFact]
    public void No_two_texts_of_a_file_differ_only_in_case()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Enrollment.csproj"))) dir = dir.Parent;
        Skip.If(dir is null, "the sources are not beside the test binaries");
        var files = Directory.GetFiles(Path.Combine(dir.FullName, "Resources"), "*.resx");
        Assert.NotEmpty(files);
        var clashes = new List<string>();
        foreach (var file in files)
        {
            var names = System.Xml.Linq.XDocument.Load(file).Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToList();
            clashes.AddRange(names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1)
                .Select(g => $"{Path.GetFileName(file)}: {string.Join(" / ", g)}"));
        }
        Assert.True(clashes.Count == 0, "Names that differ only in case (one is lost): " + string.Join(" | ", clashes));
    }

    [Fact]
    public void Each_language_reads_its_own_text_through_the_resources()
    {
        var texts = new ResourceManager(typeof(FlowTexts));
        Assert.Equal(["Continue", "Weiter", "Continuer", "Continuar", "Doorgaan"],
            Languages.Supported.Select(l => texts.GetString("Continue", CultureInfo.GetCultureInfo(l))));
        // A regional variant reads its language.
        Assert.Equal("Weiter", texts.GetString("Continue", CultureInfo.GetCultureInfo("de-AT")));
    }
}
