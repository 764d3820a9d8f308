using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Prompts;

/// <summary><c>/if/admin/prompts/</c>, the list of prompts and its search.</summary>
[Collection(PromptsCollection.Name)]
public sealed class ListPromptsTests(Hosts.Default app)
{
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
    public async Task Anonymous_visitors_are_sent_to_the_login_page()
    {
        using var client = app.NewClient();
        (await client.Http.GetAsync("/if/admin/prompts/")).AssertRedirect("http://localhost/if/login/?next=%2Fif%2Fadmin%2Fprompts%2F");
        (await client.Http.GetAsync("/if/admin/prompts/new/")).AssertRedirect("http://localhost/if/login/");
    }
}
