using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Infrastructure.Passwords;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Stages.Prompt;

/// <summary>
/// A password policy as a prompt stage's validation policy, walked over HTTP as a browser without JavaScript would:
/// its rules shown once under the field it checks before anything is typed, its messages as that field's error, and
/// the default policy where a stage has none.
/// </summary>
public sealed class PasswordPolicyValidationTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private const string Strong = "correct horse battery staple";

    /// <summary>A prompt stage asking for the password twice (validated by <paramref name="policies"/>), then a second stage.</summary>
    private async Task<Flow> PasswordFlowAsync(string slug, params Policy[] policies)
    {
        var stage = PromptStageOf(slug, Field(slug, "username", PromptType.Username, 0),
            Field(slug, "password", PromptType.Password, 1), Field(slug, "password_repeat", PromptType.Password, 2));
        stage.ValidationPolicies.AddRange(policies);
        var second = PromptStageOf($"{slug}-next", Field($"{slug}-next", "attributes.after"));
        return (await FlowAsync(app, slug, [stage, second])).Flow;
    }

    private static string? ErrorOf(IHtmlDocument page, string name)
    {
        var control = Control(page, name);
        var error = control.Closest(".field")!.QuerySelector(".field-error");
        if (error is null) return null;
        Assert.Contains(error.Id, control.GetAttribute("aria-describedby")!.Split(' '));
        Assert.Equal("true", control.GetAttribute("aria-invalid"));
        return error.TextContent.Trim();
    }

    private static string? RulesOf(IHtmlDocument page, string name)
    {
        var control = Control(page, name);
        var rules = control.Closest(".field")!.QuerySelector(".password-rules");
        if (rules is null) return null;
        Assert.Contains(rules.Id, control.GetAttribute("aria-describedby")!.Split(' '));
        return rules.TextContent.Trim();
    }

    private static bool OnSecondStage(IHtmlDocument page) => page.QuerySelector("#flow-card [name='attributes.after']") is not null;

    [Fact]
    public async Task A_bound_policy_shows_its_rules_once_and_each_broken_rule_under_the_password_field()
    {
        var policy = new PasswordPolicy { Name = "pw-static-rules", LengthMin = 12, AmountDigits = 1, AmountUppercase = 1, AmountSymbols = 1 };
        var flow = await PasswordFlowAsync("pw-static", policy);
        using var client = app.NewClient();

        var page = await client.GetPageAsync(FlowUrl(flow));
        Assert.Equal("At least 12 characters, 1 digit, 1 uppercase letter and 1 symbol.", RulesOf(page, "password"));
        Assert.Null(RulesOf(page, "password_repeat"));
        Assert.Single(page.QuerySelectorAll("#flow-card .password-rules"));

        var response = await client.SubmitAsync(FlowUrl(flow), page, ("username", "pw-static-jane"), ("password", "short"), ("password_repeat", "short"));
        var html = await response.Content.ReadAsStringAsync();
        page = await TestClient.ParseAsync(response);
        Assert.Equal("Use at least 12 characters. Use at least 1 digit. Use at least 1 uppercase letter. "
            + "Use at least 1 symbol (one of !\\\"#$%&'()*+,-./:;<=>?@[]^_`{|}~ or a space).", ErrorOf(page, "password"));
        Assert.Null(ErrorOf(page, "password_repeat"));
        Assert.Single(page.QuerySelectorAll("#flow-card .password-rules")); // the rules stay, once
        Assert.DoesNotContain("short\"", html);
        Assert.Empty(page.QuerySelectorAll("#flow-card .error[role=alert]")); // the messages are the field's, not the form's

        // authentik's rules only: no zxcvbn here, so a guessable password meeting them passes.
        response = await client.SubmitAsync(FlowUrl(flow), page, ("username", "pw-static-jane"), ("password", "Password123!"), ("password_repeat", "Password123!"));
        Assert.True(OnSecondStage(await PageAfterAsync(client, response)));
    }

    [Fact]
    public async Task The_policys_error_message_replaces_the_rules_and_zxcvbn_says_why_a_password_is_weak()
    {
        var rules = new PasswordPolicy { Name = "pw-message-rules", LengthMin = 10, ErrorMessage = "Ten characters at least, please." };
        var strength = new PasswordPolicy { Name = "pw-message-strength", CheckStaticRules = false, CheckZxcvbn = true, ZxcvbnScoreThreshold = 2 };
        var flow = await PasswordFlowAsync("pw-message", rules, strength);
        using var client = app.NewClient();

        var page = await client.GetPageAsync(FlowUrl(flow));
        Assert.Equal("At least 10 characters. Avoid common words and patterns.", RulesOf(page, "password"));

        var response = await client.SubmitAsync(FlowUrl(flow), page, ("username", "pw-message-jane"), ("password", "Pa55word"), ("password_repeat", "Pa55word"));
        page = await TestClient.ParseAsync(response);
        // Both policies check the field; each says what it found.
        var error = ErrorOf(page, "password")!;
        Assert.StartsWith("Ten characters at least, please. " + PasswordChecker.TooWeak, error);
        Assert.Contains("Avoid common passwords and their variations.", error);

        response = await client.SubmitAsync(FlowUrl(flow), page, ("username", "pw-message-jane"), ("password", "Password123!"), ("password_repeat", "Password123!"));
        page = await TestClient.ParseAsync(response);
        Assert.StartsWith(PasswordChecker.TooWeak, ErrorOf(page, "password"));

        response = await client.SubmitAsync(FlowUrl(flow), page, ("username", "pw-message-jane"), ("password", Strong), ("password_repeat", Strong));
        Assert.True(OnSecondStage(await PageAfterAsync(client, response)));
    }

    [Fact]
    public async Task Without_a_password_policy_the_default_asks_for_8_characters_and_a_password_that_is_hard_to_guess()
    {
        var flow = await PasswordFlowAsync("pw-default");
        using var client = app.NewClient();

        var page = await client.GetPageAsync(FlowUrl(flow));
        Assert.Equal("At least 8 characters; avoid common words and patterns.", RulesOf(page, "password"));
        Assert.Null(RulesOf(page, "password_repeat"));

        foreach (var weak in new[] { "password", "Password1!" })
        {
            var response = await client.SubmitAsync(FlowUrl(flow), page, ("username", "pw-default-jane"), ("password", weak), ("password_repeat", weak));
            page = await TestClient.ParseAsync(response);
            var error = ErrorOf(page, "password")!;
            Assert.StartsWith(PasswordChecker.TooWeak, error);
            // No composition rules (Identity's digit, uppercase and non-alphanumeric sentences are gone), nothing under the repeat.
            Assert.DoesNotContain("Passwords must", error);
            Assert.Null(ErrorOf(page, "password_repeat"));
        }

        var tooShort = await client.SubmitAsync(FlowUrl(flow), page, ("username", "pw-default-jane"), ("password", "Xq7#kL"), ("password_repeat", "Xq7#kL"));
        page = await TestClient.ParseAsync(tooShort);
        Assert.Equal("Use at least 8 characters.", ErrorOf(page, "password"));

        // A mismatch is the repeat's problem; the password's own rules are told once, under the password.
        var mismatch = await client.SubmitAsync(FlowUrl(flow), page, ("username", "pw-default-jane"), ("password", "password"), ("password_repeat", Strong));
        page = await TestClient.ParseAsync(mismatch);
        Assert.Equal("Passwords don't match.", ErrorOf(page, "password_repeat"));
        Assert.StartsWith(PasswordChecker.TooWeak, ErrorOf(page, "password"));

        var ok = await client.SubmitAsync(FlowUrl(flow), page, ("username", "pw-default-jane"), ("password", Strong), ("password_repeat", Strong));
        Assert.True(OnSecondStage(await PageAfterAsync(client, ok)));
    }

    [Fact]
    public async Task A_policy_checks_the_field_its_password_field_names()
    {
        const string slug = "pw-field";
        var stage = PromptStageOf(slug, Field(slug, "new_password", PromptType.Password, 1), Field(slug, "new_password_repeat", PromptType.Password, 2));
        stage.ValidationPolicies.Add(new PasswordPolicy { Name = "pw-field-policy", PasswordField = "new_password", LengthMin = 20 });
        var second = PromptStageOf($"{slug}-next", Field($"{slug}-next", "attributes.after"));
        var flow = (await FlowAsync(app, slug, [stage, second])).Flow;
        using var client = app.NewClient();

        var page = await client.GetPageAsync(FlowUrl(flow));
        Assert.Equal("At least 20 characters.", RulesOf(page, "new_password"));
        var response = await client.SubmitAsync(FlowUrl(flow), page, ("new_password", Strong[..15]), ("new_password_repeat", Strong[..15]));
        page = await TestClient.ParseAsync(response);
        Assert.Equal("Use at least 20 characters.", ErrorOf(page, "new_password"));
        response = await client.SubmitAsync(FlowUrl(flow), page, ("new_password", Strong), ("new_password_repeat", Strong));
        Assert.True(OnSecondStage(await PageAfterAsync(client, response)));
    }

    [Fact]
    public async Task A_password_policy_bound_to_a_flow_sees_no_password_and_denies_as_authentik_does()
    {
        var flow = await GuardedFlowAsync(app, "pw-bound-flow");
        var policy = new PasswordPolicy { Name = "pw-bound-flow-policy", LengthMin = 1 };
        await BindAsync(app, new PolicyBinding { FlowId = flow.Id, Policy = policy, Order = 0 });
        using var client = app.NewClient();
        var page = await client.GetPageAsync(FlowUrl(flow));
        Assert.False(Allowed(page));
        Assert.Contains("Password not set in context", page.QuerySelector("#flow-card")!.TextContent);
    }

    [Fact]
    public async Task A_whole_enrollment_stores_a_password_the_policy_accepted()
    {
        var guide = await GuideFlowAsync(app, "pw-guide");
        await app.DbAsync(async db =>
        {
            var stage = await db.Stages.OfType<PromptStage>().Include(s => s.ValidationPolicies).SingleAsync(s => s.Id == guide.Prompts.Id);
            var policy = new PasswordPolicy { Name = "pw-guide-policy", LengthMin = 16, CheckZxcvbn = true };
            db.Policies.Add(policy);
            stage.ValidationPolicies.Add(policy);
            await db.SaveChangesAsync();
        });
        var invitation = await InvitationAsync(app, "pw-guide-invite", guide.Flow.Id);
        using var client = app.NewClient();
        var link = $"{FlowUrl(guide.Flow)}?itoken={invitation.Id}";

        var refused = await client.EnrollAsync(link, [.. Answers("pw-guide-jane").Where(a => !a.Item1.StartsWith("password")), ("password", "Enroll-1234567!"), ("password_repeat", "Enroll-1234567!")]);
        var page = await TestClient.ParseAsync(refused);
        Assert.Equal("Use at least 16 characters.", ErrorOf(page, "password"));
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "pw-guide-jane")));

        var done = await client.SubmitAsync(FlowPath(link), page, [.. Answers("pw-guide-jane").Where(a => !a.Item1.StartsWith("password")), ("password", Strong), ("password_repeat", Strong)]);
        Assert.True((int)done.StatusCode is >= 300 and < 400, $"{(int)done.StatusCode}: {TestClient.Excerpt(await done.Content.ReadAsStringAsync())}");
        Assert.True(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "pw-guide-jane")));
    }
}
