using System.Net;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Python;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Features.Stages;

/// <summary>
/// What the prompt and user write stages keep from a script or a squatter: "username taken" only once the rest of the
/// form is valid; no username that is somebody else's email address; passwords only as hashes in the plan, which
/// policies see as set but not as their value.
/// </summary>
public sealed class PromptHardeningTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private const string Password = "Prompt-Tulip-Glacier-58!";

    /// <summary>
    /// A flow: one prompt stage (username, name, email, password, password_repeat; optional validation policy), an
    /// optional second prompt stage (nickname) with its own policy, user write, user login.
    /// </summary>
    private async Task<string> FlowAsync(string slug, string? firstPolicy = null, string? secondPolicy = null)
    {
        string Prompt(string key, string type, int order) => $$"""
            - model: authentik_stages_prompt.prompt
              id: {{key}}
              identifiers: {name: {{slug}}-{{key}}}
              attrs: {field_key: {{key}}, label: {{key}}, type: {{type}}, required: true, order: {{order}}}
            """;
        string Policy(string id, string? expression) => expression is null ? "" : $$"""
            - model: authentik_policies_expression.expressionpolicy
              id: {{id}}
              identifiers: {name: {{slug}}-{{id}}}
              attrs:
                expression: |
            {{string.Join("\n", expression.Split('\n').Select(l => "      " + l))}}
            """;
        var secondBinding = secondPolicy is null ? "" : "- model: authentik_flows.flowstagebinding\n  identifiers: {target: !KeyOf flow, stage: !KeyOf extra, order: 15}";
        var yaml = $$"""
            version: 1
            metadata: {name: {{slug}}}
            entries:
            - model: authentik_flows.flow
              id: flow
              identifiers: {slug: {{slug}}}
              attrs: {name: {{slug}}, title: {{slug}}, designation: enrollment}
            {{Prompt("username", "username", 0)}}
            {{Prompt("name", "text", 1)}}
            {{Prompt("email", "email", 2)}}
            {{Prompt("password", "password", 3)}}
            {{Prompt("password_repeat", "password", 4)}}
            {{Prompt("nickname", "text", 0)}}
            {{Policy("first-policy", firstPolicy)}}
            {{Policy("second-policy", secondPolicy)}}
            - model: authentik_stages_prompt.promptstage
              id: account
              identifiers: {name: {{slug}}-account}
              attrs:
                fields: [!KeyOf username, !KeyOf name, !KeyOf email, !KeyOf password, !KeyOf password_repeat]
                validation_policies: [{{(firstPolicy is null ? "" : "!KeyOf first-policy")}}]
            - model: authentik_stages_prompt.promptstage
              id: extra
              identifiers: {name: {{slug}}-extra}
              attrs:
                fields: [!KeyOf nickname]
                validation_policies: [{{(secondPolicy is null ? "" : "!KeyOf second-policy")}}]
            - model: authentik_stages_user_write.userwritestage
              id: write
              identifiers: {name: {{slug}}-write}
              attrs: {user_type: internal}
            - model: authentik_stages_user_login.userloginstage
              id: login
              identifiers: {name: {{slug}}-login}
            - model: authentik_flows.flowstagebinding
              identifiers: {target: !KeyOf flow, stage: !KeyOf account, order: 10}
            {{secondBinding}}
            - model: authentik_flows.flowstagebinding
              identifiers: {target: !KeyOf flow, stage: !KeyOf write, order: 20}
            - model: authentik_flows.flowstagebinding
              identifiers: {target: !KeyOf flow, stage: !KeyOf login, order: 30}
            """;
        await ImportAsync(yaml);
        return $"/if/flow/{slug}/";
    }

    private async Task ImportAsync(string yaml)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<BlueprintImporter>().ImportAsync(yaml, null, dryRun: false, default);
        Assert.True(result.Success, result + "\n" + yaml);
    }

    /// <summary>Posts the stage on <paramref name="page"/> as its form would, with <paramref name="fields"/> filled in.</summary>
    private static Task<HttpResponseMessage> SubmitAsync(TestClient client, string url, IHtmlDocument page, params (string Key, string Value)[] fields)
    {
        var all = fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).ToList();
        all.Add(new("stage", page.QuerySelector("#flow-card input[name=stage]")!.GetAttribute("value")!));
        all.Add(new("__RequestVerificationToken", TestClient.AntiforgeryToken(page)));
        return client.Http.PostAsync(url, new FormUrlEncodedContent(all));
    }

    private static (string, string)[] Account(string username, string email, string password = Password, string repeat = Password) =>
        [("username", username), ("name", $"Name of {username}"), ("email", email), ("password", password), ("password_repeat", repeat)];

    private static string? FieldError(IHtmlDocument page, string key) =>
        page.QuerySelector($"#flow-card [name='{key}']")?.Closest(".field")?.QuerySelector(".field-error")?.TextContent.Trim();

    private async Task<User> ExistingUserAsync(string username)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var user = new User { UserName = username, Name = username, Email = $"{username}@example.com" };
        Assert.True((await scope.ServiceProvider.GetRequiredService<UserManager<User>>().CreateAsync(user, Password)).Succeeded);
        return user;
    }

    private void RequirePython()
    {
        if (app.Services.GetRequiredService<PythonExpressions>().IsAvailable) return;
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail("CI=true but the Python runtime is not available.");
        Skip.If(true, "libpython3 is not available; apt-get install libpython3.11.");
    }

    [Fact]
    public async Task Username_taken_is_said_only_once_the_rest_of_the_form_is_valid()
    {
        await ExistingUserAsync("taken-name");
        var url = await FlowAsync("harden-taken");
        using var client = app.NewClient();
        var page = await client.GetPageAsync(url);

        var badEmail = await TestClient.ParseAsync(await SubmitAsync(client, url, page, Account("taken-name", "not-an-email")));
        Assert.Equal("Enter a valid email address.", FieldError(badEmail, "email"));
        Assert.Null(FieldError(badEmail, "username"));

        var mismatch = await TestClient.ParseAsync(await SubmitAsync(client, url, badEmail, Account("taken-name", "taken@example.com", repeat: "Other-Tulip-Glacier-58!")));
        Assert.Equal("Passwords don't match.", FieldError(mismatch, "password_repeat"));
        Assert.Null(FieldError(mismatch, "username"));

        var valid = await TestClient.ParseAsync(await SubmitAsync(client, url, mismatch, Account("taken-name", "taken@example.com")));
        Assert.Equal("This username is already taken.", FieldError(valid, "username"));
        Assert.Equal(1, await app.DbAsync(db => db.Users.CountAsync(u => u.UserName == "taken-name")));
    }

    [Fact]
    public async Task A_username_that_is_an_email_address_must_be_the_email_entered()
    {
        var url = await FlowAsync("harden-shadow");
        using var client = app.NewClient();
        var page = await client.GetPageAsync(url);

        var refused = await TestClient.ParseAsync(await SubmitAsync(client, url, page, Account("ceo@example.com", "me@example.org")));
        Assert.Equal("A username that is an email address must be your own email address.", FieldError(refused, "username"));
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "ceo@example.com")));

        var own = await SubmitAsync(client, url, refused, Account("me@example.org", "ME@example.org"));
        Assert.Equal(HttpStatusCode.Redirect, own.StatusCode);
        Assert.NotEqual(url, own.Headers.Location?.OriginalString); // the flow finished
        Assert.True(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "me@example.org")));
    }

    [Fact]
    public async Task The_user_write_refuses_a_username_that_is_another_email_even_from_an_invitations_fixed_data()
    {
        await ImportAsync("""
            version: 1
            metadata: {name: harden-fixed}
            entries:
            - model: authentik_flows.flow
              id: flow
              identifiers: {slug: harden-fixed}
              attrs: {name: harden-fixed, title: harden-fixed, designation: enrollment}
            - model: authentik_stages_invitation.invitationstage
              id: invitation
              identifiers: {name: harden-fixed-invitation}
            - model: authentik_stages_user_write.userwritestage
              id: write
              identifiers: {name: harden-fixed-write}
            - model: authentik_flows.flowstagebinding
              identifiers: {target: !KeyOf flow, stage: !KeyOf invitation, order: 10}
            - model: authentik_flows.flowstagebinding
              identifiers: {target: !KeyOf flow, stage: !KeyOf write, order: 20}
            - model: authentik_stages_invitation.invitation
              identifiers: {name: harden-fixed-invite}
              attrs:
                flow: !KeyOf flow
                fixed_data: {username: boss@example.com, email: intruder@example.org, name: Intruder}
            """);
        var invitation = await app.DbAsync(db => db.Invitations.SingleAsync(i => i.Name == "harden-fixed-invite"));
        using var client = app.NewClient();
        var page = await client.GetPageAsync($"/if/flow/harden-fixed/?itoken={invitation.Id}");
        Assert.Equal(User.UsernameIsAnotherEmail, page.QuerySelector("#flow-card .denied .error")?.TextContent.Trim());
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "boss@example.com")));
    }

    [SkippableFact]
    public async Task Policies_see_a_password_as_set_but_never_its_value_or_hash_and_the_user_signs_in_with_it()
    {
        RequirePython();
        var url = await FlowAsync("harden-mask",
            firstPolicy: """
                pw = context.get('prompt_data', {}).get('password')
                ak_message('first stage sees ' + str(pw))
                return pw == '********'
                """,
            secondPolicy: """
                prompt_data = context.get('prompt_data', {})
                ak_message('second stage sees ' + str(prompt_data.get('password')) + ' and ' + str(prompt_data.get('password_repeat')))
                return prompt_data.get('nickname') == 'ok'
                """);
        using var client = app.NewClient();
        var first = await client.GetPageAsync(url);
        var posted = await SubmitAsync(client, url, first, Account("mask-user", "mask-user@example.com"));
        Assert.True(posted.StatusCode == HttpStatusCode.Redirect, TestClient.Excerpt(await posted.Content.ReadAsStringAsync()));

        var second = await client.GetPageAsync(url);
        var refused = await TestClient.ParseAsync(await SubmitAsync(client, url, second, ("nickname", "no")));
        Assert.Contains("second stage sees ******** and ********", TestClient.Errors(refused));
        var html = refused.DocumentElement.OuterHtml;
        Assert.DoesNotContain(Password, html);
        Assert.DoesNotContain("AQAAAA", html); // the start of every Identity v3 hash

        var plan = await app.DbAsync(db => db.FlowPlans.AsNoTracking().SingleAsync(p => p.Flow.Slug == "harden-mask"));
        var stored = plan.Context["prompt_data"]!.AsObject();
        Assert.DoesNotContain(Password, plan.Context.ToJsonString());
        Assert.NotNull(PasswordValue.HashOf(stored["password"]));
        Assert.Equal(PasswordValue.HashOf(stored["password"]), PasswordValue.HashOf(stored["password_repeat"])); // hashed once

        var done = await SubmitAsync(client, url, refused, ("nickname", "ok"));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        using var again = app.NewClient();
        await again.LoginAsync("mask-user", Password);
    }
}
