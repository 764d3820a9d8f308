using System.Text.Json.Nodes;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Stages.Prompt;

// Stages/Invitation and Stages/Prompt are namespaces too (the kinds' tests): in here these names mean the domain types.
using Prompt = Enrollment.Domain.Prompt;

/// <summary>Every prompt type of the reference rendered as accessible HTML, prefilled from prompt_data (fixed_data) else initial_value.</summary>
public sealed class PromptStageRenderingTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    /// <summary>One prompt of every type; an invitation's fixed_data pre-fills some of them.</summary>
    private async Task<IHtmlDocument> AllTypesPageAsync(string slug)
    {
        Prompt P(string key, PromptType type, int order, Action<Prompt>? more = null)
        {
            var p = Field(slug, key, type, order);
            more?.Invoke(p);
            return p;
        }
        var prompts = PromptStageOf($"{slug}-prompts",
            P("name", PromptType.Text, 0, p => { p.SubText = "As it should appear on your badge."; p.Placeholder = "Jane Doe"; }),
            P("attributes.bio", PromptType.TextArea, 1, p => { p.Required = false; p.InitialValue = "Initial bio"; }),
            P("attributes.team", PromptType.TextReadOnly, 2, p => p.InitialValue = "initial team (overridden by fixed_data)"),
            P("attributes.terms", PromptType.TextAreaReadOnly, 3, p => p.InitialValue = "Terms of use, version 3."),
            P("username", PromptType.Username, 4),
            P("email", PromptType.Email, 5),
            P("password", PromptType.Password, 6),
            P("attributes.age", PromptType.Number, 7, p => p.Required = false),
            P("attributes.tos", PromptType.Checkbox, 8),
            P("attributes.color", PromptType.RadioButtonGroup, 9, p => { p.Placeholder = "red\ngreen\nblue"; p.SubText = "Pick one."; }),
            P("attributes.size", PromptType.Dropdown, 10, p => { p.Placeholder = "S\nM\nL"; p.InitialValue = "M"; }),
            P("attributes.birthday", PromptType.Date, 11, p => p.Required = false),
            P("attributes.meeting", PromptType.DateTime, 12, p => p.Required = false),
            P("attributes.avatar", PromptType.File, 13, p => p.Required = false),
            P("separator", PromptType.Separator, 14),
            P("attributes.source", PromptType.Hidden, 15, p => p.InitialValue = "invite-link"),
            P("static", PromptType.Static, 16, p => p.InitialValue = "Please read the terms first."),
            P("attributes.locale", PromptType.AkLocale, 17, p => p.Required = false),
            P("alert-info", PromptType.AlertInfo, 18, p => p.InitialValue = "An informative note."),
            P("alert-warning", PromptType.AlertWarning, 19, p => p.InitialValue = "A warning note."),
            P("alert-danger", PromptType.AlertDanger, 20, p => p.InitialValue = "A dangerous note."));
        var invitationStage = new InvitationStage { Name = $"{slug}-invitation" };
        var (flow, _) = await FlowAsync(app, slug, [invitationStage, prompts]);
        var invitation = await InvitationAsync(app, $"{slug}-invite", flow.Id, singleUse: false, fixedData: new JsonObject { ["email"] = "jane@example.com", ["attributes.team"] = "Platform", ["name"] = "Jane Fixed" });
        using var client = app.NewClient();
        return await client.GetPageAsync($"{FlowUrl(flow)}?itoken={invitation.Id}");
    }

    private static string LabelOf(IHtmlDocument page, IElement control)
    {
        var id = control.Id;
        Assert.False(string.IsNullOrEmpty(id), $"{control.OuterHtml} has no id");
        var labels = page.QuerySelectorAll($"label[for='{id}']");
        Assert.True(labels.Length == 1, $"{control.OuterHtml} has {labels.Length} labels");
        return labels[0].TextContent.Trim();
    }

    [Fact]
    public async Task Text_like_prompts_are_labelled_named_by_field_key_and_typed_for_the_browser()
    {
        var page = await AllTypesPageAsync("render-text");

        var name = Control(page, "name");
        Assert.Equal("input", name.LocalName);
        Assert.Equal("text", name.GetAttribute("type"));
        Assert.Equal("Label of name", LabelOf(page, name));
        Assert.Equal("name", name.GetAttribute("autocomplete"));
        Assert.True(name.HasAttribute("required"));
        Assert.Equal("Jane Doe", name.GetAttribute("placeholder"));
        Assert.Equal("Jane Fixed", name.GetAttribute("value")); // fixed_data wins over the (empty) initial value
        var help = page.GetElementById(name.GetAttribute("aria-describedby")!.Split(' ')[0])!;
        Assert.Equal("As it should appear on your badge.", help.TextContent.Trim());

        var bio = Control(page, "attributes.bio");
        Assert.Equal("textarea", bio.LocalName);
        Assert.Equal("Label of attributes.bio", LabelOf(page, bio));
        Assert.False(bio.HasAttribute("required"));
        Assert.Equal("Initial bio", bio.TextContent);

        var username = Control(page, "username");
        Assert.Equal("text", username.GetAttribute("type"));
        Assert.Equal("username", username.GetAttribute("autocomplete"));
        Assert.True(username.HasAttribute("required"));
        LabelOf(page, username);

        var email = Control(page, "email");
        Assert.Equal("email", email.GetAttribute("type"));
        Assert.Equal("email", email.GetAttribute("autocomplete"));
        Assert.Equal("jane@example.com", email.GetAttribute("value"));
        LabelOf(page, email);

        var password = Control(page, "password");
        Assert.Equal("password", password.GetAttribute("type"));
        Assert.Equal("new-password", password.GetAttribute("autocomplete"));
        Assert.True(string.IsNullOrEmpty(password.GetAttribute("value")));
        LabelOf(page, password);

        var age = Control(page, "attributes.age");
        Assert.Equal("number", age.GetAttribute("type"));
        Assert.False(age.HasAttribute("required"));
        LabelOf(page, age);

        Assert.Equal("date", Control(page, "attributes.birthday").GetAttribute("type"));
        LabelOf(page, Control(page, "attributes.birthday"));
        Assert.Equal("datetime-local", Control(page, "attributes.meeting").GetAttribute("type"));
        LabelOf(page, Control(page, "attributes.meeting"));
        Assert.Equal("file", Control(page, "attributes.avatar").GetAttribute("type"));
        LabelOf(page, Control(page, "attributes.avatar"));
    }

    [Fact]
    public async Task Read_only_prompts_are_readonly_and_show_the_servers_value()
    {
        var page = await AllTypesPageAsync("render-readonly");

        var team = Control(page, "attributes.team");
        Assert.Equal("input", team.LocalName);
        Assert.True(team.HasAttribute("readonly"));
        Assert.Equal("Platform", team.GetAttribute("value")); // prompt_data (fixed_data) before initial_value
        LabelOf(page, team);

        var terms = Control(page, "attributes.terms");
        Assert.Equal("textarea", terms.LocalName);
        Assert.True(terms.HasAttribute("readonly"));
        Assert.Equal("Terms of use, version 3.", terms.TextContent);
        LabelOf(page, terms);

        // Editable prompts are not read-only.
        Assert.False(Control(page, "name").HasAttribute("readonly"));
        Assert.False(Control(page, "attributes.bio").HasAttribute("readonly"));

        var hidden = Control(page, "attributes.source");
        Assert.Equal("hidden", hidden.GetAttribute("type"));
        Assert.Equal("invite-link", hidden.GetAttribute("value"));

        Assert.Equal("Please read the terms first.", page.QuerySelector("#flow-card .static")!.TextContent.Trim());
        Assert.Null(page.QuerySelector("#flow-card [name=static]"));
    }

    [Fact]
    public async Task Choice_prompts_offer_the_placeholders_lines_and_radio_groups_are_fieldsets_with_a_legend()
    {
        var page = await AllTypesPageAsync("render-choices");

        var radios = page.QuerySelectorAll("#flow-card input[type=radio][name='attributes.color']");
        Assert.Equal(["red", "green", "blue"], radios.Select(r => r.GetAttribute("value")));
        foreach (var radio in radios) LabelOf(page, radio);
        var fieldset = radios[0].Closest("fieldset")!;
        Assert.Equal("Label of attributes.color", fieldset.QuerySelector("legend")!.TextContent.Trim());
        Assert.All(radios, r => Assert.Same(fieldset, r.Closest("fieldset")));
        Assert.Contains("Pick one.", fieldset.GetAttribute("aria-describedby")!.Split(' ').Select(id => page.GetElementById(id)!.TextContent.Trim()));

        var size = Control(page, "attributes.size");
        Assert.Equal("select", size.LocalName);
        LabelOf(page, size);
        Assert.Equal(["S", "M", "L"], size.QuerySelectorAll("option").Select(o => o.GetAttribute("value")).Where(v => v != ""));
        Assert.Equal("M", size.QuerySelector("option[selected]")!.GetAttribute("value")); // initial_value

        var locale = Control(page, "attributes.locale");
        Assert.Equal("select", locale.LocalName);
        LabelOf(page, locale);
        Assert.Contains("de", locale.QuerySelectorAll("option").Select(o => o.GetAttribute("value")));

        var tos = Control(page, "attributes.tos");
        Assert.Equal("checkbox", tos.GetAttribute("type"));
        Assert.True(tos.HasAttribute("required"));
        Assert.Equal("Label of attributes.tos", LabelOf(page, tos));
    }

    [Fact]
    public async Task Separators_and_alerts_are_shown_without_form_controls()
    {
        var page = await AllTypesPageAsync("render-display");
        var card = page.QuerySelector("#flow-card")!;
        Assert.NotNull(card.QuerySelector("hr"));
        Assert.Equal("An informative note.", card.QuerySelector(".alert.alert_info")!.TextContent.Trim());
        Assert.Equal("A warning note.", card.QuerySelector(".alert.alert_warning")!.TextContent.Trim());
        var danger = card.QuerySelector(".alert.alert_danger")!;
        Assert.Equal("A dangerous note.", danger.TextContent.Trim());
        Assert.Equal("alert", danger.GetAttribute("role"));
        foreach (var key in new[] { "separator", "alert-info", "alert-warning", "alert-danger" })
            Assert.Null(card.QuerySelector($"[name='{key}']"));
    }

    [Fact]
    public async Task Every_visible_control_has_exactly_one_label_and_every_reference_resolves()
    {
        var page = await AllTypesPageAsync("render-a11y");
        var controls = page.QuerySelectorAll("#flow-card input:not([type=hidden]), #flow-card select, #flow-card textarea");
        Assert.Equal(17, controls.Length); // 15 prompts with a control, the radio group counting its 3 radios
        foreach (var control in controls) LabelOf(page, control);
        foreach (var described in page.QuerySelectorAll("#flow-card [aria-describedby]"))
            foreach (var id in described.GetAttribute("aria-describedby")!.Split(' '))
                Assert.NotNull(page.GetElementById(id));
        Assert.Equal(controls.Length, controls.Select(c => c.Id).Distinct().Count());
    }
}
