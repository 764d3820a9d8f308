using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Infrastructure.Web;

/// <summary>Names with markup in them are shown as text on the list and detail pages, never run as markup.</summary>
public sealed class HtmlEncodingTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private const string Script = "<script>alert(1)</script>";
    private const string Img = "\"><img src=x onerror=alert(1)>";

    public sealed record Ids(Guid ScriptStageId, Guid ImgStageId, Guid ScriptPromptId, Guid ImgPromptId, Guid InvitationId, Guid BindingId);

    /// <summary>Names an admin typed with markup in them, everywhere a name can go.</summary>
    private Task<Ids> ArrangeAsync() => app.ArrangeOnceAsync(nameof(HtmlEncodingTests), () => app.DbAsync(async db =>
    {
        var scriptFlow = new Flow { Name = Script, Slug = "xss-script", Title = Img };
        var imgFlow = new Flow { Name = Img, Slug = "xss-img", Title = Script };
        var scriptPrompt = new Prompt { Name = "xss-prompt-script", FieldKey = "xss_script", Label = Script, Placeholder = Img, SubText = Script };
        var imgPrompt = new Prompt { Name = "xss-prompt-img", FieldKey = "xss_img", Label = Img, Placeholder = Script };
        var scriptStage = new PromptStage { Name = Script, Fields = [scriptPrompt, imgPrompt] };
        var imgStage = new InvitationStage { Name = Img };
        var scriptBinding = new FlowStageBinding { Flow = scriptFlow, Stage = imgStage, Order = 10 };
        var imgBinding = new FlowStageBinding { Flow = scriptFlow, Stage = scriptStage, Order = 20 };
        var invitation = new Invitation
        {
            Name = "xss-invitation", Flow = scriptFlow,
            FixedData = new System.Text.Json.Nodes.JsonObject { ["email"] = Script, ["name"] = Img, ["display"] = "José Müller" },
        };
        db.AddRange(scriptFlow, imgFlow, scriptPrompt, imgPrompt, scriptStage, imgStage, scriptBinding, imgBinding, invitation);
        await db.SaveChangesAsync();
        return new Ids(scriptStage.Id, imgStage.Id, scriptPrompt.Id, imgPrompt.Id, invitation.Id, imgBinding.Id);
    }));

    [Theory]
    [InlineData("/if/admin/flows/", "#flow-rows td > a", "#flow-rows td small", "both")]
    [InlineData("/if/admin/flows/xss-script/", "dl.props dd", "main h1", "both")]
    [InlineData("/if/admin/flows/xss-img/", "dl.props dd", "main h1", "both")]
    [InlineData("/if/admin/flows/xss-script/edit/", "input", "h1", "both")]
    [InlineData("/if/admin/flows/xss-script/delete/", "main", "main", Script)]
    [InlineData("/if/admin/flows/xss-img/delete/", "main", "main", Img)]
    [InlineData("/if/admin/flows/xss-script/bindings/", "table td a", "select option", "both")]
    [InlineData("/if/admin/flows/xss-script/policies/", "main", "main", Script)]
    [InlineData("/if/admin/flows/xss-img/policies/", "main", "main", Img)]
    [InlineData("/if/admin/stages/", "#stage-rows td > a", "#stage-rows td.flows a", "both")]
    [InlineData("/if/admin/prompts/", "#prompt-rows td", "#prompt-rows td.stages a", "both")]
    [InlineData("/if/admin/invitations/", "#invitation-rows td", "#invitation-rows td", Script)]
    [InlineData("/if/admin/invitations/new/", "select option", "select option", "both")]
    public async Task Markup_in_names_is_shown_as_text(string url, string nameSelector, string otherSelector, string shown)
    {
        await ArrangeAsync();
        await AssertEncodedAsync(url, nameSelector, otherSelector, only: shown);
    }

    [Fact]
    public async Task Markup_in_stage_and_prompt_names_is_shown_as_text_on_their_pages()
    {
        var ids = await ArrangeAsync();
        await AssertEncodedAsync($"/if/admin/stages/{ids.ScriptStageId}/edit/", "input, option, label, td, li, a", "input, option, label, td, li, a", only: Script);
        await AssertEncodedAsync($"/if/admin/stages/{ids.ImgStageId}/edit/", "input", "input", only: Img);
        await AssertEncodedAsync($"/if/admin/stages/{ids.ScriptStageId}/delete/", "main", "main", only: Script);
        await AssertEncodedAsync($"/if/admin/prompts/{ids.ScriptPromptId}/edit/", "input, textarea", "input, textarea");
        await AssertEncodedAsync($"/if/admin/prompts/{ids.ImgPromptId}/edit/", "input, textarea", "input, textarea");
        await AssertEncodedAsync($"/if/admin/prompts/{ids.ImgPromptId}/delete/", "main", "main", only: null, mustShow: false);
        await AssertEncodedAsync($"/if/admin/flows/xss-script/bindings/{ids.BindingId}/edit/", "main, input, option", "main, input, option", only: null, mustShow: false);
        await AssertEncodedAsync($"/if/admin/flows/xss-script/bindings/{ids.BindingId}/delete/", "main", "main", only: null, mustShow: false);
    }

    [Fact]
    public async Task Markup_in_invitation_custom_attributes_and_flow_name_is_shown_as_text()
    {
        var ids = await ArrangeAsync();
        using var client = await app.AdminClientAsync();
        var (page, html) = await GetAsync(client, $"/if/admin/invitations/{ids.InvitationId}/");
        AssertNothingRuns(page, html, $"invitation {ids.InvitationId}");
        Assert.Equal(Script, page.QuerySelector("dl.props a[href='/if/admin/flows/xss-script/']")!.TextContent);

        // The custom attributes are shown as JSON; the values must read as the admin typed them.
        var json = System.Text.Json.Nodes.JsonNode.Parse(page.QuerySelector("pre")!.TextContent)!;
        Assert.Equal(Script, (string?)json["email"]);
        Assert.Equal(Img, (string?)json["name"]);
    }

    /// <summary>Not a security hole (the page is safe either way) but what the admin reads is wrong.</summary>
    [Fact]
    public async Task Custom_attributes_read_as_typed_not_as_json_escapes()
    {
        var ids = await ArrangeAsync();
        using var client = await app.AdminClientAsync();
        var (page, _) = await GetAsync(client, $"/if/admin/invitations/{ids.InvitationId}/");
        var shown = page.QuerySelector("pre")!.TextContent;
        Assert.Contains("José Müller", shown);
        Assert.Contains(Script, shown);
        Assert.Contains(Img.Replace("\"", "\\\""), shown);
    }

    private async Task AssertEncodedAsync(string url, string nameSelector, string otherSelector, string? only = "both", bool mustShow = true)
    {
        using var client = await app.AdminClientAsync();
        var (page, html) = await GetAsync(client, url);
        AssertNothingRuns(page, html, url);
        if (!mustShow) return;
        foreach (var payload in only == "both" ? [Script, Img] : new[] { only! })
        {
            var shown = page.QuerySelectorAll(nameSelector).Concat(page.QuerySelectorAll(otherSelector)).Any(e => Shows(e, payload));
            Assert.True(shown, $"{url}: no element matching '{nameSelector}' or '{otherSelector}' shows {payload} as text");
        }
    }

    private static async Task<(IHtmlDocument Page, string Html)> GetAsync(TestClient client, string url)
    {
        var response = await client.Http.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {TestClient.Excerpt(html)}");
        return (await TestClient.ParseAsync(new HttpResponseMessage { Content = new StringContent(html) }), html);
    }

    /// <summary>An element shows the payload when its text, or the value of its field, is exactly it (or, for longer text, contains it).</summary>
    private static bool Shows(IElement e, string payload) =>
        e.TextContent.Trim() == payload
        || e.GetAttribute("value") == payload || e.GetAttribute("placeholder") == payload
        || (e.LocalName is "main" or "h1" or "p" or "td" or "label" or "option" && e.TextContent.Contains(payload));

    private static void AssertNothingRuns(IHtmlDocument page, string html, string where)
    {
        Assert.False(html.Contains(Script), $"{where}: the raw <script> payload is in the HTML");
        Assert.False(html.Contains(Img), $"{where}: the raw <img> payload is in the HTML");
        Assert.DoesNotContain(page.QuerySelectorAll("script"), s => s.TextContent.Contains("alert(1)"));
        Assert.Empty(page.QuerySelectorAll("img"));
        Assert.DoesNotContain(page.All, e => e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)));
    }
}
