using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Stages.Prompt;

/// <summary>The prompt stage's validation: messages next to the fields, values kept (never passwords), server values forced.</summary>
public sealed class PromptStageValidationTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    /// <summary>A prompt stage followed by a second one, so getting past the first is visible.</summary>
    private async Task<Flow> TwoPromptStagesAsync(string slug, PromptStage first, Action<int, FlowStageBinding>? configure = null)
    {
        var second = PromptStageOf($"{slug}-next", Field($"{slug}-next", "attributes.after", order: 0));
        return (await FlowAsync(app, slug, [first, second], configure: configure)).Flow;
    }

    /// <summary>The error shown under the field of <paramref name="name"/>, checked to be tied to the control for assistive technology.</summary>
    private static string? FieldError(IHtmlDocument page, string name)
    {
        var control = Control(page, name);
        var field = control.Closest(".field")!;
        var error = field.QuerySelector(".field-error");
        if (error is null)
        {
            Assert.Null(control.GetAttribute("aria-invalid"));
            return null;
        }
        Assert.False(string.IsNullOrEmpty(error.Id));
        var describer = control.Closest("fieldset") ?? control;
        Assert.Contains(error.Id, describer.GetAttribute("aria-describedby")!.Split(' '));
        Assert.Equal("true", control.GetAttribute("aria-invalid"));
        return error.TextContent.Trim();
    }

    private static void AssertStillOn(IHtmlDocument page, string name) => Control(page, name);

    [Fact]
    public async Task Required_email_number_and_choice_errors_appear_under_their_fields_and_entered_values_are_kept()
    {
        const string slug = "validate-basic";
        var stage = PromptStageOf(slug,
            Field(slug, "name", order: 0),
            Field(slug, "email", PromptType.Email, 1),
            Field(slug, "attributes.age", PromptType.Number, 2),
            Field(slug, "attributes.size", PromptType.Dropdown, 3),
            Field(slug, "attributes.color", PromptType.RadioButtonGroup, 4),
            Field(slug, "attributes.tos", PromptType.Checkbox, 5),
            Field(slug, "attributes.bio", PromptType.TextArea, 6));
        stage.Fields[3].Placeholder = "S\nM\nL";
        stage.Fields[4].Placeholder = "red\ngreen\nblue";
        var flow = await TwoPromptStagesAsync(slug, stage);
        using var client = app.NewClient();

        var response = await client.SubmitAsync(FlowUrl(flow),
            ("name", "  "), ("email", "not-an-email"), ("attributes.age", "12.5"), ("attributes.size", "XL"),
            ("attributes.color", "purple"), ("attributes.bio", "Line one\nLine two"));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var page = await TestClient.ParseAsync(response);

        Assert.Equal("This field is required.", FieldError(page, "name"));
        Assert.Equal("Enter a valid email address.", FieldError(page, "email"));
        Assert.Equal("Enter a whole number.", FieldError(page, "attributes.age"));
        Assert.Equal("Select one of the offered choices.", FieldError(page, "attributes.size"));
        Assert.Equal("Select one of the offered choices.", FieldError(page, "attributes.color"));
        Assert.Equal("This field is required.", FieldError(page, "attributes.tos"));
        Assert.Null(FieldError(page, "attributes.bio"));

        Assert.Equal("not-an-email", Control(page, "email").GetAttribute("value"));
        Assert.Equal("12.5", Control(page, "attributes.age").GetAttribute("value"));
        Assert.Equal("Line one\nLine two", Control(page, "attributes.bio").TextContent);

        // Fixing every field passes the stage; the second stage shows up.
        response = await client.SubmitAsync(FlowUrl(flow), page,
            ("name", "Jane"), ("email", "jane@example.com"), ("attributes.age", "-42"), ("attributes.size", "M"),
            ("attributes.color", "green"), ("attributes.tos", "true"), ("attributes.bio", "Bio"));
        response.AssertRedirect(FlowUrl(flow));
        AssertStillOn(await client.GetPageAsync(FlowUrl(flow)), "attributes.after");
    }

    [Fact]
    public async Task Valid_choices_and_checkbox_survive_an_error_elsewhere()
    {
        const string slug = "validate-keep";
        var stage = PromptStageOf(slug,
            Field(slug, "email", PromptType.Email, 0),
            Field(slug, "attributes.size", PromptType.Dropdown, 1),
            Field(slug, "attributes.color", PromptType.RadioButtonGroup, 2),
            Field(slug, "attributes.tos", PromptType.Checkbox, 3),
            Field(slug, "attributes.when", PromptType.Date, 4));
        stage.Fields[1].Placeholder = "S\nM\nL";
        stage.Fields[2].Placeholder = "red\ngreen\nblue";
        var flow = await TwoPromptStagesAsync(slug, stage);
        using var client = app.NewClient();

        var page = await TestClient.ParseAsync(await client.SubmitAsync(FlowUrl(flow),
            ("email", "bad@"), ("attributes.size", "L"), ("attributes.color", "blue"), ("attributes.tos", "true"), ("attributes.when", "2026-02-03")));

        Assert.Equal("Enter a valid email address.", FieldError(page, "email"));
        Assert.Equal("L", page.QuerySelector("#flow-card select[name='attributes.size'] option[selected]")!.GetAttribute("value"));
        Assert.Equal("blue", page.QuerySelector("#flow-card input[name='attributes.color'][checked]")!.GetAttribute("value"));
        Assert.True(Control(page, "attributes.tos").HasAttribute("checked"));
        Assert.Equal("2026-02-03", Control(page, "attributes.when").GetAttribute("value"));
    }

    [Fact]
    public async Task A_taken_username_or_one_with_invalid_characters_is_refused()
    {
        const string slug = "validate-username";
        var flow = await TwoPromptStagesAsync(slug, PromptStageOf(slug, Field(slug, "username", PromptType.Username)));
        await CreateUserAsync(app, "taken-jane");
        using var client = app.NewClient();

        var page = await TestClient.ParseAsync(await client.SubmitAsync(FlowUrl(flow), ("username", "TAKEN-jane")));
        Assert.Equal("This username is already taken.", FieldError(page, "username"));
        Assert.Equal("TAKEN-jane", Control(page, "username").GetAttribute("value"));

        page = await TestClient.ParseAsync(await client.SubmitAsync(FlowUrl(flow), page, ("username", "jane doe!")));
        Assert.Equal("Use at most 150 letters, digits and the characters - . _ @ +", FieldError(page, "username"));

        var response = await client.SubmitAsync(FlowUrl(flow), page, ("username", "free-jane"));
        response.AssertRedirect(FlowUrl(flow));
    }

    [Theory]
    [InlineData("name", PromptType.Text, 300)]
    [InlineData("name", PromptType.TextArea, 300)]
    [InlineData("username", PromptType.Text, 150)]
    [InlineData("email", PromptType.Text, 254)]
    public async Task A_value_longer_than_the_user_column_it_is_written_to_is_an_error_on_its_field(string key, PromptType type, int limit)
    {
        var slug = $"validate-column-{key}-{type}".ToLowerInvariant();
        var flow = await TwoPromptStagesAsync(slug, PromptStageOf(slug, Field(slug, key, type)));
        using var client = app.NewClient();

        var page = await TestClient.ParseAsync(await client.SubmitAsync(FlowUrl(flow), (key, new string('v', limit + 1))));
        Assert.Equal($"Use at most {limit:N0} characters.", FieldError(page, key));

        var response = await client.SubmitAsync(FlowUrl(flow), page, (key, new string('v', limit)));
        response.AssertRedirect(FlowUrl(flow));
    }

    [Fact]
    public async Task Two_password_fields_must_match_and_passwords_are_never_sent_back()
    {
        const string slug = "validate-passwords";
        var flow = await TwoPromptStagesAsync(slug, PromptStageOf(slug,
            Field(slug, "name", order: 0), Field(slug, "password", PromptType.Password, 1), Field(slug, "password_repeat", PromptType.Password, 2)));
        using var client = app.NewClient();

        const string first = "Zebra-Secret-4711!", second = "Zebra-Secret-4712!";
        var response = await client.SubmitAsync(FlowUrl(flow), ("name", "Jane"), ("password", first), ("password_repeat", second));
        var html = await response.Content.ReadAsStringAsync();
        var page = await TestClient.ParseAsync(response);
        Assert.Equal("Passwords don't match.", FieldError(page, "password_repeat"));
        Assert.Equal("Jane", Control(page, "name").GetAttribute("value"));
        Assert.True(string.IsNullOrEmpty(Control(page, "password").GetAttribute("value")));
        Assert.True(string.IsNullOrEmpty(Control(page, "password_repeat").GetAttribute("value")));
        Assert.DoesNotContain(first, html);
        Assert.DoesNotContain(second, html);
        Assert.DoesNotContain("Zebra-Secret", html);
    }

    [Fact]
    public async Task The_default_password_rules_are_shown_once_under_the_first_password_field()
    {
        const string slug = "validate-rules";
        var flow = await TwoPromptStagesAsync(slug, PromptStageOf(slug,
            Field(slug, "password", PromptType.Password, 1), Field(slug, "password_repeat", PromptType.Password, 2)));
        using var client = app.NewClient();
        var describer = new IdentityErrorDescriber();

        // Long enough, no digit, no uppercase letter, no symbol: only its guessability counts now.
        const string weak = "weakpasswordzzz";
        var response = await client.SubmitAsync(FlowUrl(flow), ("password", weak), ("password_repeat", weak));
        var html = await response.Content.ReadAsStringAsync();
        var page = await TestClient.ParseAsync(response);
        var error = FieldError(page, "password")!;
        Assert.StartsWith("This password is too easy to guess.", error);
        Assert.DoesNotContain(describer.PasswordRequiresDigit().Description, html);
        Assert.DoesNotContain(describer.PasswordRequiresUpper().Description, html);
        Assert.DoesNotContain(describer.PasswordRequiresNonAlphanumeric().Description, html);
        Assert.Null(FieldError(page, "password_repeat"));
        Assert.DoesNotContain(weak, html);

        const string shortOne = "Ab1!xQ";
        response = await client.SubmitAsync(FlowUrl(flow), page, ("password", shortOne), ("password_repeat", shortOne));
        html = await response.Content.ReadAsStringAsync();
        page = await TestClient.ParseAsync(response);
        Assert.Equal("Use at least 8 characters.", FieldError(page, "password"));
        Assert.Null(FieldError(page, "password_repeat"));
        Assert.DoesNotContain(shortOne, html);

        response = await client.SubmitAsync(FlowUrl(flow), page, ("password", Password), ("password_repeat", Password));
        response.AssertRedirect(FlowUrl(flow));
    }

    [Fact]
    public async Task Read_only_hidden_and_static_values_are_the_servers_whatever_the_browser_posts()
    {
        const string slug = "validate-forced";
        var stage = PromptStageOf(slug,
            Field(slug, "username", PromptType.Username, 0),
            Field(slug, "email", PromptType.Email, 1),
            Field(slug, "attributes.team", PromptType.TextReadOnly, 2),
            Field(slug, "attributes.terms", PromptType.TextAreaReadOnly, 3),
            Field(slug, "attributes.source", PromptType.Hidden, 4),
            Field(slug, "attributes.note", PromptType.Static, 5));
        stage.Fields[3].InitialValue = "Terms v3";
        stage.Fields[4].InitialValue = "invite-link";
        stage.Fields[5].InitialValue = "Static text";
        var write = new UserWriteStage { Name = $"{slug}-write", UserType = UserType.Internal };
        var (flow, _) = await FlowAsync(app, slug, [new InvitationStage { Name = $"{slug}-inv" }, stage, write, new UserLoginStage { Name = $"{slug}-login" }]);
        var invitation = await InvitationAsync(app, $"{slug}-invite", flow.Id, singleUse: false, fixedData: new JsonObject { ["attributes.team"] = "Platform", ["email"] = "fixed@example.com" });
        using var client = app.NewClient();
        var link = $"{FlowUrl(flow)}?itoken={invitation.Id}";
        (string, string)[] tampered = [("attributes.team", "Admins"), ("attributes.terms", "No terms"), ("attributes.source", "forged"), ("attributes.note", "forged note")];

        // An error elsewhere: the form comes back with the server's values, not the posted ones.
        var page = await TestClient.ParseAsync(await client.SubmitAsync(link, [("username", "bad name!"), ("email", "edited@example.com"), .. tampered]));
        Assert.NotNull(FieldError(page, "username"));
        Assert.Equal("Platform", Control(page, "attributes.team").GetAttribute("value"));
        Assert.Equal("Terms v3", Control(page, "attributes.terms").TextContent);
        Assert.Equal("invite-link", Control(page, "attributes.source").GetAttribute("value"));
        Assert.Equal("edited@example.com", Control(page, "email").GetAttribute("value"));

        var response = await client.SubmitAsync(link, page, [("username", "forced-jane"), ("email", "edited@example.com"), .. tampered]);
        await FollowAsync(client, response);

        var user = await app.DbAsync(db => db.Users.SingleAsync(u => u.UserName == "forced-jane"));
        Assert.Equal("Platform", (string?)user.Attributes["team"]);
        Assert.Equal("Terms v3", (string?)user.Attributes["terms"]);
        Assert.Equal("invite-link", (string?)user.Attributes["source"]);
        Assert.Null(user.Attributes["note"]); // static prompts show text; they hold no value
        Assert.Equal("edited@example.com", user.Email); // an editable field may change a pre-filled value
    }

    [Fact]
    public async Task Values_are_written_shallow_over_prompt_data()
    {
        const string slug = "validate-shallow";
        var stage = PromptStageOf(slug, Field(slug, "username", PromptType.Username, 0), Field(slug, "name", order: 1));
        var (flow, _) = await FlowAsync(app, slug, [new InvitationStage { Name = $"{slug}-inv" }, stage, new UserWriteStage { Name = $"{slug}-write" }]);
        var invitation = await InvitationAsync(app, $"{slug}-invite", flow.Id, singleUse: false, fixedData: new JsonObject { ["name"] = "Fixed Name", ["email"] = "kept@example.com", ["attributes"] = new JsonObject { ["department"] = "Engineering" } });
        using var client = app.NewClient();
        var link = $"{FlowUrl(flow)}?itoken={invitation.Id}";

        var page = await client.GetPageAsync(link);
        Assert.Equal("Fixed Name", Control(page, "name").GetAttribute("value"));
        await FollowAsync(client, await client.SubmitAsync(link, page, ("username", "shallow-jane"), ("name", "Edited Name")));

        var user = await app.DbAsync(db => db.Users.SingleAsync(u => u.UserName == "shallow-jane"));
        Assert.Equal("Edited Name", user.Name);
        Assert.Equal("kept@example.com", user.Email); // not a field of the stage: untouched
        Assert.Equal("Engineering", (string?)user.Attributes["department"]);
    }

    [SkippableFact]
    public async Task A_validation_policy_sees_the_entered_values_and_the_invitee_cannot_pass_until_it_passes()
    {
        PythonAvailable.Require(app.Services.GetRequiredService<Enrollment.Infrastructure.Python.PythonExpressions>());
        const string slug = "validate-policy";
        var policy = new ExpressionPolicy { Name = $"{slug}-domain", Expression = "return context['prompt_data']['email'].endswith('@example.com')" };
        var stage = PromptStageOf(slug, Field(slug, "email", PromptType.Email));
        stage.ValidationPolicies.Add(policy);
        var flow = await TwoPromptStagesAsync(slug, stage);
        using var client = app.NewClient();

        var page = await TestClient.ParseAsync(await client.SubmitAsync(FlowUrl(flow), ("email", "jane@elsewhere.test")));
        Assert.Equal(PolicyMessages.NotAccepted, page.QuerySelector("#flow-card [role=alert] li")?.TextContent.Trim());
        Assert.Equal("jane@elsewhere.test", Control(page, "email").GetAttribute("value"));
        AssertStillOn(await client.GetPageAsync(FlowUrl(flow)), "email");

        var response = await client.SubmitAsync(FlowUrl(flow), page, ("email", "jane@example.com"));
        response.AssertRedirect(FlowUrl(flow));
        AssertStillOn(await client.GetPageAsync(FlowUrl(flow)), "attributes.after");
    }
}
