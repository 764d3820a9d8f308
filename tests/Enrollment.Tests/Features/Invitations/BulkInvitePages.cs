using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Invitations;

/// <summary>The bulk invite form, posted as a browser does: pasted addresses, or a CSV file.</summary>
public static class BulkInvitePages
{
    public const string Url = "/if/admin/invitations/bulk/";

    public static Guid RunId(HttpResponseMessage response)
    {
        response.AssertRedirect(Url);
        var match = Regex.Match(response.Headers.Location!.OriginalString, "^/if/admin/invitations/bulk/([0-9a-f-]{36})/$");
        Assert.True(match.Success, response.Headers.Location.OriginalString);
        return Guid.Parse(match.Groups[1].Value);
    }

    public static async Task<HttpResponseMessage> PasteAsync(TestClient client, string flow, string addresses, params (string Key, string Value)[] more) =>
        await client.PostFormAsync(Url, new[] { ("Input.FlowSlug", flow), ("Input.Addresses", addresses) }.Concat(more)
            .Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)));

    /// <summary>Posts the form as a browser does with a file chosen: multipart, the file under Input.CsvFile.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(TestClient client, string? flow, byte[] file, params (string Key, string Value)[] more)
    {
        var page = await client.GetPageAsync(Url);
        var form = new MultipartFormDataContent
        {
            { new StringContent(TestClient.AntiforgeryToken(page, Url, Url)), "__RequestVerificationToken" },
            { new StringContent(flow ?? ""), "Input.FlowSlug" },
        };
        foreach (var (key, value) in more) form.Add(new StringContent(value), key);
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(content, "Input.CsvFile", "recipients.csv");
        return await client.Http.PostAsync(Url, form);
    }

    public static async Task<IHtmlDocument> RefusedAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.UnprocessableEntity)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {TestClient.Excerpt(body)}");
        return new AngleSharp.Html.Parser.HtmlParser().ParseDocument(body);
    }
}
