using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Features.Prompts.PromptPages;

namespace Enrollment.Tests.Features.Prompts;

/// <summary><c>/if/admin/prompts/{id}/edit/</c> and <c>…/delete/</c>, and both for an id that names no prompt.</summary>
[Collection(PromptsCollection.Name)]
public sealed class EditPromptTests(Hosts.Default app)
{
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
}
