using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Features.Prompts.PromptPages;

namespace Enrollment.Tests.Features.Prompts;

/// <summary><c>/if/admin/prompts/new/</c>: a prompt with every field, or the form again naming what is wrong.</summary>
[Collection(PromptsCollection.Name)]
public sealed class CreatePromptTests(Hosts.Default app)
{
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
}
