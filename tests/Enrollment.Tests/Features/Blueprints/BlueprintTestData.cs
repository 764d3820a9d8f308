using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using AngleSharp.Html.Dom;
using Enrollment.Tests.Infrastructure;

namespace Enrollment.Tests.Features.Blueprints;

/// <summary>The tests' blueprint (Data/tiny-enrollment.yaml, read from the source tree) and variants of it.</summary>
public static class BlueprintTestData
{
    public static string Folder([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "Data");

    public static string TinyPath => Path.Combine(Folder(), "tiny-enrollment.yaml");

    public static string Tiny => File.ReadAllText(TinyPath);

    /// <summary>A valid flow entry first, then a group with an attribute that does not exist: the import must roll the flow back.</summary>
    public static string Failing(string slug) => $$"""
        version: 1
        metadata: {name: Failing}
        entries:
        - model: authentik_flows.flow
          identifiers: {slug: {{slug}}}
          attrs: {name: {{slug}}, title: x, designation: enrollment}
        - model: authentik_core.group
          id: bad-group
          identifiers: {name: {{slug}}-group}
          attrs: {colour: blue}
        """;

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>Posts the import form as a browser without JavaScript would: multipart, with the page's antiforgery token.</summary>
    public static async Task<HttpResponseMessage> PostImportAsync(this TestClient client, string? yaml, string? context = null, bool dryRun = false, byte[]? raw = null)
    {
        var page = await client.GetPageAsync("/if/admin/flows/import/");
        var form = new MultipartFormDataContent
        {
            { new StringContent(TestClient.AntiforgeryToken(page)), "__RequestVerificationToken" },
            { new StringContent(context ?? ""), "Context" },
        };
        if (dryRun) form.Add(new StringContent("true"), "DryRun");
        if (raw is not null || yaml is not null)
            form.Add(new ByteArrayContent(raw ?? Encoding.UTF8.GetBytes(yaml!)), "BlueprintFile", "blueprint.yaml");
        return await client.Http.PostAsync("/if/admin/flows/import/", form);
    }

    public static async Task<IHtmlDocument> OkPageAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {TestClient.Excerpt(body)}");
        return new AngleSharp.Html.Parser.HtmlParser().ParseDocument(body);
    }

    public static string LogText(this IHtmlDocument page) => page.QuerySelector("#import-log")?.TextContent ?? "";
}
