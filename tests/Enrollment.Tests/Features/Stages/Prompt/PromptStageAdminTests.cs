using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Stages.Prompt;

// Stages/Invitation and Stages/Prompt are namespaces too (the kinds' tests): in here these names mean the domain types.
using Prompt = Enrollment.Domain.Prompt;

/// <summary>The prompt stage in the admin console: its fields and validation policies, and unknown ones refused.</summary>
[Collection(StagesCollection.Name)]
public sealed class PromptStageAdminTests(Hosts.Default app)
{
    [Fact]
    public async Task Admin_creates_a_prompt_stage_with_fields_and_policies_then_changes_them()
    {
        var (email, username, policy) = (NewPrompt("ps-email", "email"), NewPrompt("ps-username", "username"), new ExpressionPolicy { Name = "ps-policy", Expression = "return True" });
        await app.DbAsync(db => { db.AddRange(email, username, policy); return db.SaveChangesAsync(); });
        using var client = await app.AdminClientAsync();

        var form = await client.GetPageAsync("/if/admin/stages/new/prompt/");
        Assert.Contains("ps-email", form.QuerySelector($"label[for='Input_Fields_{email.Id}']")!.TextContent);
        Assert.NotNull(form.QuerySelector($"input[name='Input.ValidationPolicies'][value='{policy.Id}']"));

        (await client.PostFormAsync("/if/admin/stages/new/prompt/", ("Input.Name", "ps-stage"),
            ("Input.Fields", email.Id.ToString()), ("Input.Fields", username.Id.ToString()), ("Input.ValidationPolicies", policy.Id.ToString())))
            .AssertRedirect("/if/admin/stages/");
        var stage = await LoadPromptStage("ps-stage");
        Assert.Equal(["ps-email", "ps-username"], stage.Fields.Select(f => f.Name).Order());
        Assert.Equal("ps-policy", Assert.Single(stage.ValidationPolicies).Name);

        var edit = await client.GetPageAsync($"/if/admin/stages/{stage.Id}/edit/");
        Assert.True(edit.QuerySelector($"input[name='Input.Fields'][value='{email.Id}']")!.HasAttribute("checked"));

        (await client.PostFormAsync($"/if/admin/stages/{stage.Id}/edit/", ("Input.Name", "ps-stage"), ("Input.Fields", username.Id.ToString())))
            .AssertRedirect("/if/admin/stages/");
        stage = await LoadPromptStage("ps-stage");
        Assert.Equal("ps-username", Assert.Single(stage.Fields).Name);
        Assert.Empty(stage.ValidationPolicies);
    }

    [Fact]
    public async Task Unknown_prompt_or_policy_ids_are_form_errors_and_nothing_is_saved()
    {
        var prompt = NewPrompt("ps-known", "known");
        await app.DbAsync(db => { db.Add(prompt); return db.SaveChangesAsync(); });
        using var client = await app.AdminClientAsync();
        var response = await client.PostFormAsync("/if/admin/stages/new/prompt/", ("Input.Name", "ps-ghost"),
            ("Input.Fields", prompt.Id.ToString()), ("Input.Fields", Guid.NewGuid().ToString()), ("Input.ValidationPolicies", Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestClient.ParseAsync(response);
        Assert.Contains("A chosen prompt does not exist", page.QuerySelector("[data-valmsg-for='Input.Fields']")!.TextContent);
        Assert.Contains("A chosen policy does not exist", page.QuerySelector("[data-valmsg-for='Input.ValidationPolicies']")!.TextContent);
        // The form comes back with the admin's choices still ticked.
        Assert.True(page.QuerySelector($"input[name='Input.Fields'][value='{prompt.Id}']")!.HasAttribute("checked"));
        Assert.False(await app.DbAsync(db => db.Stages.AnyAsync(s => s.Name == "ps-ghost")));
    }

    private static Prompt NewPrompt(string name, string fieldKey) => new() { Name = name, FieldKey = fieldKey, Label = name };

    private Task<PromptStage> LoadPromptStage(string name) => app.DbAsync(db =>
        db.Stages.OfType<PromptStage>().Include(s => s.Fields).Include(s => s.ValidationPolicies).AsNoTracking().SingleAsync(s => s.Name == name));
}
