using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Prompts;

public sealed class PromptAdminTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private static (string, string)[] Fields(string name, string fieldKey, string type = "text", params (string, string)[] more) =>
        [("Input.Name", name), ("Input.FieldKey", fieldKey), ("Input.Type", type), ("Input.Required", "false"), ("Input.Order", "0"), .. more];

    [Fact]
    public async Task Admin_creates_a_prompt_with_every_field()
    {
        using var client = await app.AdminClientAsync();
        var form = await client.GetPageAsync("/if/admin/prompts/new/");
        Assert.Equal("radio-button-group", form.QuerySelector("select[name='Input.Type'] option[value='radio-button-group']")!.GetAttribute("value"));
        Assert.Equal(21, form.QuerySelectorAll("select[name='Input.Type'] option").Length);
        Assert.NotNull(form.QuerySelector("textarea[name='Input.Placeholder']"));

        (await client.PostFormAsync("/if/admin/prompts/new/",
            ("Input.Name", "pr-department"), ("Input.FieldKey", "attributes.department"), ("Input.Label", "Department"),
            ("Input.Type", "radio-button-group"), ("Input.Required", "true"), ("Input.Required", "false"),
            ("Input.Placeholder", "['Engineering', 'Sales']"), ("Input.PlaceholderExpression", "true"),
            ("Input.InitialValue", "Sales"), ("Input.InitialValueExpression", "false"),
            ("Input.SubText", "Where you work"), ("Input.Order", "30"))).AssertRedirect("/if/admin/prompts/");

        var p = await app.DbAsync(db => db.Prompts.SingleAsync(x => x.Name == "pr-department"));
        Assert.Equal(("attributes.department", "Department", PromptType.RadioButtonGroup, true), (p.FieldKey, p.Label, p.Type, p.Required));
        Assert.Equal(("['Engineering', 'Sales']", true, "Sales", false), (p.Placeholder, p.PlaceholderExpression, p.InitialValue, p.InitialValueExpression));
        Assert.Equal(("Where you work", 30), (p.SubText, p.Order));
        Assert.True(await app.DbAsync(db => db.Events.AnyAsync(e => e.Action == "model_created")));
    }

    [Fact]
    public async Task Admin_edits_and_deletes_a_prompt_and_the_stage_using_it_stays()
    {
        var prompt = new Prompt { Name = "pr-edit", FieldKey = "email", Type = PromptType.Email, Order = 1 };
        var stage = new PromptStage { Name = "pr-edit-stage", Fields = [prompt] };
        await app.DbAsync(db => { db.Add(stage); return db.SaveChangesAsync(); });
        using var client = await app.AdminClientAsync();

        var edit = await client.GetPageAsync($"/if/admin/prompts/{prompt.Id}/edit/");
        Assert.Equal("email", edit.QuerySelector("input[name='Input.FieldKey']")!.GetAttribute("value"));
        Assert.True(edit.QuerySelector("select[name='Input.Type'] option[value=email]")!.HasAttribute("selected"));

        (await client.PostFormAsync($"/if/admin/prompts/{prompt.Id}/edit/", Fields("pr-edited", "mail", "text", ("Input.Label", "Mail"))))
            .AssertRedirect("/if/admin/prompts/");
        var saved = await app.DbAsync(db => db.Prompts.SingleAsync(x => x.Id == prompt.Id));
        Assert.Equal(("pr-edited", "mail", PromptType.Text, "Mail", false, 0), (saved.Name, saved.FieldKey, saved.Type, saved.Label, saved.Required, saved.Order));

        var confirm = await client.GetPageAsync($"/if/admin/prompts/{prompt.Id}/delete/");
        Assert.Contains("pr-edit-stage", confirm.QuerySelector("main ul")!.TextContent);
        (await client.PostFormAsync($"/if/admin/prompts/{prompt.Id}/delete/")).AssertRedirect("/if/admin/prompts/");
        Assert.False(await app.DbAsync(db => db.Prompts.AnyAsync(x => x.Id == prompt.Id)));
        var left = await app.DbAsync(db => db.Stages.OfType<PromptStage>().Include(s => s.Fields).SingleAsync(s => s.Id == stage.Id));
        Assert.Empty(left.Fields);
    }

    [Fact]
    public async Task List_searches_name_field_key_and_label_and_shows_the_stages_using_a_prompt()
    {
        var prompt = new Prompt { Name = "pr-listed", FieldKey = "company_vat", Label = "VAT number", Type = PromptType.Number, Required = false, Order = 7 };
        await app.DbAsync(db => { db.Add(new PromptStage { Name = "pr-list-stage", Fields = [prompt] }); return db.SaveChangesAsync(); });
        using var client = await app.AdminClientAsync();

        foreach (var q in new[] { "pr-listed", "COMPANY_VAT", "vat num" })
        {
            var page = await client.GetPageAsync($"/if/admin/prompts/?q={Uri.EscapeDataString(q)}");
            var row = Assert.Single(page.QuerySelectorAll("#prompt-rows tbody tr"));
            Assert.Equal(["pr-listed", "company_vat", "Number", "VAT number", "No", "7", "pr-list-stage"],
                row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        }
        var none = await client.GetPageAsync("/if/admin/prompts/?q=no-such-prompt-zz");
        Assert.Contains("No prompt matches", none.QuerySelector("#prompt-rows .empty")!.TextContent);
    }

    [Fact]
    public async Task Duplicate_name_is_a_form_error_and_nothing_is_saved()
    {
        using var client = await app.AdminClientAsync();
        (await client.PostFormAsync("/if/admin/prompts/new/", Fields("pr-dup", "dup"))).AssertRedirect("/if/admin/prompts/");
        var again = await client.PostFormAsync("/if/admin/prompts/new/", Fields("pr-dup", "dup2"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("A prompt with this name already exists.",
            (await TestClient.ParseAsync(again)).QuerySelector("[data-valmsg-for='Input.Name']")!.TextContent.Trim());
        Assert.Equal(1, await app.DbAsync(db => db.Prompts.CountAsync(p => p.Name == "pr-dup")));

        (await client.PostFormAsync("/if/admin/prompts/new/", Fields("pr-dup-other", "dup"))).AssertRedirect("/if/admin/prompts/");
        var id = await app.DbAsync(db => db.Prompts.Where(p => p.Name == "pr-dup-other").Select(p => p.Id).SingleAsync());
        var rename = await client.PostFormAsync($"/if/admin/prompts/{id}/edit/", Fields("pr-dup", "dup"));
        Assert.Contains("A prompt with this name already exists.", TestClient.Errors(await TestClient.ParseAsync(rename)));
        Assert.Equal("pr-dup-other", await app.DbAsync(db => db.Prompts.Where(p => p.Id == id).Select(p => p.Name).SingleAsync()));
    }

    [Fact]
    public async Task Missing_or_malformed_fields_are_named_and_nothing_is_saved()
    {
        using var client = await app.AdminClientAsync();
        var before = await app.DbAsync(db => db.Prompts.CountAsync());
        var response = await client.PostFormAsync("/if/admin/prompts/new/", Fields("", "first name", "textbox"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestClient.ParseAsync(response);
        Assert.Equal("Enter a name.", page.QuerySelector("[data-valmsg-for='Input.Name']")!.TextContent.Trim());
        Assert.Equal("Use only letters, digits, '_', '.' and '-'.", page.QuerySelector("[data-valmsg-for='Input.FieldKey']")!.TextContent.Trim());
        Assert.StartsWith("Choose one of: text, text_area", page.QuerySelector("[data-valmsg-for='Input.Type']")!.TextContent.Trim());

        response = await client.PostFormAsync("/if/admin/prompts/new/", Fields("pr-no-key", ""));
        Assert.Contains("Enter a field key; it names the value in prompt_data.", TestClient.Errors(await TestClient.ParseAsync(response)));
        Assert.Equal(before, await app.DbAsync(db => db.Prompts.CountAsync()));
    }

    [Fact]
    public async Task Unknown_prompt_is_a_404()
    {
        using var client = await app.AdminClientAsync();
        await client.GetPageAsync($"/if/admin/prompts/{Guid.NewGuid()}/edit/", HttpStatusCode.NotFound);
        await client.GetPageAsync($"/if/admin/prompts/{Guid.NewGuid()}/delete/", HttpStatusCode.NotFound);
        var post = await client.PostFormAsync("/if/admin/prompts/new/", Fields("pr-ghost", "ghost").Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)), $"/if/admin/prompts/{Guid.NewGuid()}/edit/");
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        post = await client.PostFormAsync("/if/admin/prompts/", [], $"/if/admin/prompts/{Guid.NewGuid()}/delete/");
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.False(await app.DbAsync(db => db.Prompts.AnyAsync(p => p.Name == "pr-ghost")));
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_the_login_page()
    {
        using var client = app.NewClient();
        (await client.Http.GetAsync("/if/admin/prompts/")).AssertRedirect("http://localhost/if/login/?next=%2Fif%2Fadmin%2Fprompts%2F");
        (await client.Http.GetAsync("/if/admin/prompts/new/")).AssertRedirect("http://localhost/if/login/");
    }
}
