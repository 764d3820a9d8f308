using System.Net;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Stages.Prompt;

// Stages/Invitation and Stages/Prompt are namespaces too (the kinds' tests): in here these names mean the domain types.
using Prompt = Enrollment.Domain.Prompt;

/// <summary>
/// Prompt <c>placeholder_expression</c> and <c>initial_value_expression</c>: Python with <c>prompt_context</c> (the
/// plan's prompt_data), the plan context and the user; choices from a list; failures give an empty value, a
/// <c>property_mapping_exception</c> event, and never a 500 or the error on the invitee's page.
/// </summary>
public sealed class PromptExpressionTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{

    /// <summary>An invitation stage (with fixed data) before <paramref name="stage"/>, a user write after it.</summary>
    private async Task<string> InvitedLinkAsync(string slug, PromptStage stage, JsonObject fixedData)
    {
        var (flow, _) = await FlowAsync(app, slug,
            [new InvitationStage { Name = $"{slug}-invitation" }, stage, new UserWriteStage { Name = $"{slug}-write" }]);
        var invitation = await InvitationAsync(app, $"{slug}-invite", flow.Id, singleUse: false, fixedData: fixedData);
        return $"{FlowUrl(flow)}?itoken={invitation.Id}";
    }

    private static Prompt Expression(Prompt p, string? placeholder = null, string? initial = null)
    {
        if (placeholder is not null) { p.Placeholder = placeholder; p.PlaceholderExpression = true; }
        if (initial is not null) { p.InitialValue = initial; p.InitialValueExpression = true; }
        return p;
    }

    [SkippableFact]
    public async Task Placeholder_and_initial_value_expressions_see_prompt_context_the_invitation_and_helpers()
    {
        PythonAvailable.Require(app);
        const string slug = "prompt-expr";
        var stage = PromptStageOf(slug,
            Expression(Field(slug, "username", PromptType.Username, 0), initial: "return slugify(prompt_context.get('name', ''))"),
            Expression(Field(slug, "email", PromptType.Email, 1), placeholder: "return prompt_context['name'].split()[0].lower() + '@example.com'"),
            Expression(Field(slug, "attributes.invited_via", PromptType.Hidden, 2), initial: "return context['invitation'].name"),
            Expression(Field(slug, "attributes.newsletter", PromptType.Checkbox, 3, required: false), initial: "return prompt_context.get('department') == 'Engineering'"),
            Expression(Field(slug, "attributes.greeting", PromptType.Static, 4), initial: "return 'Hello ' + prompt_context['name'] + '!'"));
        var link = await InvitedLinkAsync(slug, stage, new JsonObject { ["name"] = "Ada Lovelace", ["department"] = "Engineering" });
        using var client = app.NewClient();

        var page = await client.GetPageAsync(link);
        Assert.Equal("ada-lovelace", Control(page, "username").GetAttribute("value"));
        Assert.Equal("ada@example.com", Control(page, "email").GetAttribute("placeholder"));
        Assert.True(string.IsNullOrEmpty(Control(page, "email").GetAttribute("value")));
        Assert.Equal($"{slug}-invite", Control(page, "attributes.invited_via").GetAttribute("value"));
        Assert.True(Control(page, "attributes.newsletter").HasAttribute("checked"));
        Assert.Equal("Hello Ada Lovelace!", page.QuerySelector("#flow-card .static")?.TextContent.Trim());

        // The hidden value is the server's expression result, whatever the browser posts.
        await FollowAsync(client, await client.SubmitAsync(link, page,
            ("username", "ada-lovelace"), ("email", "ada@example.com"), ("attributes.invited_via", "forged"), ("attributes.newsletter", "true")));
        var user = await app.DbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == "ada-lovelace"));
        Assert.Equal($"{slug}-invite", (string?)user.Attributes["invited_via"]);
        Assert.True((bool?)user.Attributes["newsletter"]);
    }

    [SkippableFact]
    public async Task An_alert_with_an_initial_value_expression_keeps_its_text_after_an_error()
    {
        PythonAvailable.Require(app);
        const string slug = "prompt-expr-alert";
        var stage = PromptStageOf(slug,
            Expression(Field(slug, "notice", PromptType.AlertInfo, 0), initial: "return 'Welcome, ' + prompt_context['name'] + '.'"),
            Field(slug, "username", PromptType.Username, 1));
        var link = await InvitedLinkAsync(slug, stage, new JsonObject { ["name"] = "Ada" });
        using var client = app.NewClient();

        var page = await client.GetPageAsync(link);
        Assert.Equal("Welcome, Ada.", page.QuerySelector("#flow-card .alert")?.TextContent.Trim());
        page = await TestClient.ParseAsync(await client.SubmitAsync(link, page, ("username", "not valid!")));
        Assert.NotEmpty(TestClient.Errors(page));
        Assert.Equal("Welcome, Ada.", page.QuerySelector("#flow-card .alert")?.TextContent.Trim());
    }

    [SkippableFact]
    public async Task A_value_in_prompt_data_wins_over_the_initial_value_expression()
    {
        PythonAvailable.Require(app);
        const string slug = "prompt-expr-prefilled";
        var stage = PromptStageOf(slug, Expression(Field(slug, "username", PromptType.Username), initial: "return 'from-expression'"));
        var link = await InvitedLinkAsync(slug, stage, new JsonObject { ["username"] = "from-invitation" });
        using var client = app.NewClient();
        Assert.Equal("from-invitation", Control(await client.GetPageAsync(link), "username").GetAttribute("value"));
    }

    [SkippableFact]
    public async Task A_placeholder_expression_of_a_dropdown_or_radio_group_returns_the_choices()
    {
        PythonAvailable.Require(app);
        const string slug = "prompt-expr-choices";
        var stage = PromptStageOf(slug,
            Expression(Field(slug, "attributes.team", PromptType.Dropdown, 0),
                placeholder: "teams = {'Engineering': ['Platform', 'Mobile'], 'Sales': ['EMEA']}\nreturn teams[prompt_context['department']]",
                initial: "return 'Mobile'"),
            Expression(Field(slug, "attributes.office", PromptType.RadioButtonGroup, 1), placeholder: "return 'Berlin'"),
            Field(slug, "username", PromptType.Username, 2));
        var link = await InvitedLinkAsync(slug, stage, new JsonObject { ["department"] = "Engineering" });
        using var client = app.NewClient();

        var page = await client.GetPageAsync(link);
        var options = page.QuerySelectorAll("#flow-card select[name='attributes.team'] option").Select(o => o.GetAttribute("value")).Where(v => v != "").ToList();
        Assert.Equal(["Platform", "Mobile"], options);
        Assert.Equal("Mobile", page.QuerySelector("#flow-card select[name='attributes.team'] option[selected]")?.GetAttribute("value"));
        Assert.Equal(["Berlin"], page.QuerySelectorAll("#flow-card input[name='attributes.office']").Select(o => o.GetAttribute("value")).ToList());

        // Only the computed choices are accepted.
        page = await TestClient.ParseAsync(await client.SubmitAsync(link, page, ("attributes.team", "EMEA"), ("attributes.office", "Berlin"), ("username", "choices-jane")));
        Assert.Contains("Select one of the offered choices.", TestClient.Errors(page));
        await FollowAsync(client, await client.SubmitAsync(link, page, ("attributes.team", "Platform"), ("attributes.office", "Berlin"), ("username", "choices-jane")));
        var user = await app.DbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == "choices-jane"));
        Assert.Equal("Platform", (string?)user.Attributes["team"]);
    }

    [SkippableFact]
    public async Task A_failing_expression_leaves_the_field_empty_records_an_event_and_shows_no_error()
    {
        PythonAvailable.Require(app);
        const string slug = "prompt-expr-broken";
        var stage = PromptStageOf(slug,
            Expression(Field(slug, "name", PromptType.Text, 0), placeholder: "return 'e.g. ' + prompt_context['nickname']", initial: "x = 1\nreturn x / 0"),
            Expression(Field(slug, "attributes.size", PromptType.Dropdown, 1, required: false), placeholder: "while True:\n    pass"),
            Field(slug, "username", PromptType.Username, 2));
        var link = await InvitedLinkAsync(slug, stage, []);
        using var client = app.NewClient();

        var response = await client.Http.GetAsync(link);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var leak in new[] { "ZeroDivisionError", "KeyError", "nickname", "return x / 0", "Traceback" }) Assert.DoesNotContain(leak, html);
        var page = await TestClient.ParseAsync(response);
        Assert.True(string.IsNullOrEmpty(Control(page, "name").GetAttribute("value")));
        Assert.Null(Control(page, "name").GetAttribute("placeholder"));
        Assert.Empty(page.QuerySelectorAll("#flow-card select[name='attributes.size'] option").Where(o => o.GetAttribute("value") != ""));

        var events = await app.DbAsync(async db => (await db.Events.AsNoTracking().Where(e => e.Action == "property_mapping_exception").ToListAsync())
            .Select(e => e.Context).Where(c => ((string?)c["prompt"]?["name"])?.StartsWith(slug) == true).ToList());
        var initial = Assert.Single(events, c => (string?)c["field"] == "initial_value");
        Assert.Equal($"{slug}-name", (string?)initial["prompt"]!["name"]);
        Assert.Equal("ZeroDivisionError: division by zero", (string?)initial["message"]);
        Assert.Equal(2, (int)initial["line"]!);
        Assert.Single(events, c => (string?)c["field"] == "placeholder" && ((string?)c["message"])!.StartsWith("KeyError"));
        Assert.Single(events, c => (string?)c["field"] == "placeholder" && (bool)c["timed_out"]!);

        // The invitee can still fill the field in and go on.
        await FollowAsync(client, await client.SubmitAsync(link, page, ("name", "Jane"), ("username", "broken-expr-jane")));
        Assert.True(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "broken-expr-jane" && u.Name == "Jane")));
    }
}
