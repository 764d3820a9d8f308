using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Stages.Prompt;

/// <summary>
/// A prompt may say how long its answer may be (<c>max_length</c>, our addition to authentik's prompt): lower than
/// the default 4,096 for a short code, higher (up to 65,536) for a long text. Set in the admin form and in blueprints,
/// enforced by the prompt stage like the default.
/// </summary>
public sealed class PromptMaxLengthTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task A_prompt_of_its_own_maximum_refuses_one_character_more_and_keeps_nothing()
    {
        var (link, client) = await FlowWithAsync("short-code", "attributes.code", maxLength: 10);
        var page = await client.GetPageAsync(link);
        var refused = await client.SubmitAsync(link, page, ("attributes.code", new string('c', 11)));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var shown = await TestClient.ParseAsync(refused);
        Assert.Contains("Use at most 10 characters.", TestClient.Errors(shown));
        Assert.DoesNotContain(await PlanContextsAsync(), c => c.Contains(new string('c', 11)));

        var accepted = await client.SubmitAsync(link, shown, ("attributes.code", new string('c', 10)));
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Contains(await PlanContextsAsync(), c => c.Contains(new string('c', 10)));
    }

    [Fact]
    public async Task A_prompt_may_take_more_than_the_default_up_to_its_own_maximum()
    {
        var (link, client) = await FlowWithAsync("long-text", "attributes.statement", maxLength: 20000, type: PromptType.TextArea);
        var page = await client.GetPageAsync(link);
        var answer = new string('s', 10000);
        (await client.SubmitAsync(link, page, ("attributes.statement", answer))).AssertRedirect("/if/flow/long-text/");
        Assert.Contains(await PlanContextsAsync(), c => c.Contains(answer));

        var (other, second) = await FlowWithAsync("default-text", "attributes.other", maxLength: null, type: PromptType.TextArea);
        var refused = await second.SubmitAsync(other, await second.GetPageAsync(other), ("attributes.other", answer));
        Assert.Contains("Use at most 4,096 characters.", TestClient.Errors(await TestClient.ParseAsync(refused)));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65537")]
    [InlineData("-5")]
    public async Task The_admin_form_takes_1_to_65536_or_nothing_and_says_so_otherwise(string value)
    {
        using var admin = await app.AdminClientAsync();
        var name = $"pr-max-{value}";
        var response = await admin.PostFormAsync("/if/admin/prompts/new/",
            ("Input.Name", name), ("Input.FieldKey", "code"), ("Input.Type", "text"), ("Input.Required", "false"), ("Input.Order", "0"),
            ("Input.MaxLength", value));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Enter a maximum length between 1 and 65,536 characters, or leave it empty for 4,096.",
            TestClient.Errors(await TestClient.ParseAsync(response)));
        Assert.False(await app.DbAsync(db => db.Prompts.AnyAsync(p => p.Name == name)));
    }

    [Fact]
    public async Task The_admin_form_saves_and_shows_a_maximum_and_clears_it_when_emptied()
    {
        using var admin = await app.AdminClientAsync();
        (await admin.PostFormAsync("/if/admin/prompts/new/",
            ("Input.Name", "pr-max-ok"), ("Input.FieldKey", "code"), ("Input.Type", "text"), ("Input.Required", "false"), ("Input.Order", "0"),
            ("Input.MaxLength", "64"))).AssertRedirect("/if/admin/prompts/");
        var id = await app.DbAsync(db => db.Prompts.Where(p => p.Name == "pr-max-ok").Select(p => p.Id).SingleAsync());
        Assert.Equal(64, await app.DbAsync(db => db.Prompts.Where(p => p.Id == id).Select(p => p.MaxLength).SingleAsync()));
        var edit = await admin.GetPageAsync($"/if/admin/prompts/{id}/edit/");
        Assert.Equal("64", edit.QuerySelector("input[name='Input.MaxLength']")!.GetAttribute("value"));

        (await admin.PostFormAsync($"/if/admin/prompts/{id}/edit/",
            ("Input.Name", "pr-max-ok"), ("Input.FieldKey", "code"), ("Input.Type", "text"), ("Input.Required", "false"), ("Input.Order", "0"),
            ("Input.MaxLength", ""))).AssertRedirect("/if/admin/prompts/");
        Assert.Null(await app.DbAsync(db => db.Prompts.Where(p => p.Id == id).Select(p => p.MaxLength).SingleAsync()));
    }

    [Fact]
    public async Task Blueprints_import_and_export_max_length_only_where_it_is_set()
    {
        var slug = BlueprintKit.Unique("bp-max");
        await app.ImportOkAsync($$"""
            version: 1
            entries:
              - model: authentik_stages_prompt.prompt
                identifiers: { name: {{slug}}-short }
                attrs: { field_key: code, type: text, max_length: 12 }
              - model: authentik_stages_prompt.prompt
                identifiers: { name: {{slug}}-plain }
                attrs: { field_key: other, type: text }
              - model: authentik_stages_prompt.promptstage
                id: prompts
                identifiers: { name: {{slug}}-stage }
                attrs:
                  fields: [ !Find [authentik_stages_prompt.prompt, [name, {{slug}}-short]], !Find [authentik_stages_prompt.prompt, [name, {{slug}}-plain]] ]
              - model: authentik_flows.flow
                id: flow
                identifiers: { slug: {{slug}} }
                attrs: { name: {{slug}}, title: {{slug}}, designation: enrollment }
              - model: authentik_flows.flowstagebinding
                identifiers: { target: !KeyOf flow, stage: !KeyOf prompts, order: 10 }
            """);
        Assert.Equal(12, await app.DbAsync(db => db.Prompts.Where(p => p.Name == $"{slug}-short").Select(p => p.MaxLength).SingleAsync()));
        Assert.Null(await app.DbAsync(db => db.Prompts.Where(p => p.Name == $"{slug}-plain").Select(p => p.MaxLength).SingleAsync()));

        using var admin = await app.AdminClientAsync();
        var exported = await admin.Http.GetAsync($"/if/admin/flows/{slug}/export/");
        var yaml = await exported.Content.ReadAsStringAsync();
        Assert.True(exported.StatusCode == HttpStatusCode.OK, $"{(int)exported.StatusCode}: {(await TestClient.ParseAsync(exported)).QuerySelector("main")?.TextContent}");
        Assert.Contains("max_length: 12", yaml);
        Assert.Single(yaml.Split("max_length:").Skip(1)); // the prompt without one exports none: authentik's own shape

        var refused = await app.ImportAsync($$"""
            version: 1
            entries:
              - model: authentik_stages_prompt.prompt
                identifiers: { name: {{slug}}-bad }
                attrs: { field_key: code, type: text, max_length: 0 }
            """);
        Assert.False(refused.Success);
        Assert.Contains(refused.Logs, l => l.Message.Contains("must be between 1 and 65536"));
        Assert.False(await app.DbAsync(db => db.Prompts.AnyAsync(p => p.Name == $"{slug}-bad")));
    }

    /// <summary>A flow whose only stage asks for <paramref name="fieldKey"/>, opened by a new browser.</summary>
    private async Task<(string Link, TestClient Client)> FlowWithAsync(string slug, string fieldKey, int? maxLength, PromptType type = PromptType.Text)
    {
        var prompt = new Domain.Prompt { Name = $"{slug}-field", FieldKey = fieldKey, Label = "Answer", Type = type, MaxLength = maxLength };
        await FlowKit.FlowAsync(app, slug, [FlowKit.PromptStageOf($"{slug}-prompts", prompt), FlowKit.PromptStageOf($"{slug}-after", FlowKit.Field(slug, "attributes.after", required: false))]);
        return (FlowKit.FlowUrl(slug), app.NewClient());
    }

    private Task<List<string>> PlanContextsAsync() => app.DbAsync(async db =>
        (await db.FlowPlans.AsNoTracking().Select(p => p.Context).ToListAsync()).Select(c => c.ToJsonString()).ToList());
}
