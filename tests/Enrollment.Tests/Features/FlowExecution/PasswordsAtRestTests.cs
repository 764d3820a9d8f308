using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Features.FlowExecution;

/// <summary>The app sending its email over SMTP to a loopback server.</summary>
public sealed class MailingApp() : EnrollmentApp(new HostConfiguration { Mail = HostConfiguration.MailServer.Listening })
{
}

/// <summary>
/// A password typed into a prompt stage never reaches the database in plaintext: while the flow waits at an email
/// stage, its stored plan holds only the hash, and no byte of the data directory (SQLite file, WAL, job storage, keys)
/// contains the password. The user written afterwards signs in with it.
/// </summary>
public sealed partial class PasswordsAtRestTests(MailingApp app) : IClassFixture<MailingApp>
{
    private const string Password = "AtRest-Plaintext-9137!";

    [GeneratedRegex(@"http://localhost(/if/flow/[a-z0-9-]+/\?flow_token=[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();

    private const string Blueprint = """
        version: 1
        metadata: {name: at-rest}
        entries:
        - model: authentik_flows.flow
          id: flow
          identifiers: {slug: at-rest}
          attrs: {name: at-rest, title: At rest, designation: enrollment}
        - {model: authentik_stages_prompt.prompt, id: username, identifiers: {name: at-rest-username}, attrs: {field_key: username, label: Username, type: username, order: 0}}
        - {model: authentik_stages_prompt.prompt, id: name, identifiers: {name: at-rest-name}, attrs: {field_key: name, label: Name, type: text, order: 1}}
        - {model: authentik_stages_prompt.prompt, id: email, identifiers: {name: at-rest-email}, attrs: {field_key: email, label: Email, type: email, order: 2}}
        - {model: authentik_stages_prompt.prompt, id: password, identifiers: {name: at-rest-password}, attrs: {field_key: password, label: Password, type: password, order: 3}}
        - {model: authentik_stages_prompt.prompt, id: repeat, identifiers: {name: at-rest-repeat}, attrs: {field_key: password_repeat, label: Repeat, type: password, order: 4}}
        - model: authentik_stages_prompt.promptstage
          id: account
          identifiers: {name: at-rest-account}
          attrs: {fields: [!KeyOf username, !KeyOf name, !KeyOf email, !KeyOf password, !KeyOf repeat]}
        - model: authentik_stages_email.emailstage
          id: verify
          identifiers: {name: at-rest-verify}
          attrs: {use_global_settings: true, activate_user_on_success: true, subject: Confirm, token_expiry: 30}
        - model: authentik_stages_user_write.userwritestage
          id: write
          identifiers: {name: at-rest-write}
          attrs: {user_type: internal}
        - model: authentik_stages_user_login.userloginstage
          id: login
          identifiers: {name: at-rest-login}
        - {model: authentik_flows.flowstagebinding, identifiers: {target: !KeyOf flow, stage: !KeyOf account, order: 10}}
        - {model: authentik_flows.flowstagebinding, identifiers: {target: !KeyOf flow, stage: !KeyOf verify, order: 20}}
        - {model: authentik_flows.flowstagebinding, identifiers: {target: !KeyOf flow, stage: !KeyOf write, order: 30}}
        - {model: authentik_flows.flowstagebinding, identifiers: {target: !KeyOf flow, stage: !KeyOf login, order: 40}}
        """;

    private static Task<HttpResponseMessage> SubmitAsync(TestClient client, string url, IHtmlDocument page, params (string Key, string Value)[] fields)
    {
        var all = fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).ToList();
        all.Add(new("stage", page.QuerySelector("#flow-card input[name=stage]")!.GetAttribute("value")!));
        all.Add(new("__RequestVerificationToken", TestClient.AntiforgeryToken(page)));
        return client.Http.PostAsync(url, new FormUrlEncodedContent(all));
    }

    /// <summary>Every file under the data directory that contains <paramref name="text"/> as UTF-8.</summary>
    private IReadOnlyList<string> FilesContaining(string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        var found = new List<string>();
        foreach (var path in Directory.EnumerateFiles(app.DataDirectory, "*", SearchOption.AllDirectories))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            if (memory.GetBuffer().AsSpan(0, (int)memory.Length).IndexOf(needle) >= 0) found.Add(Path.GetRelativePath(app.DataDirectory, path));
        }
        return found;
    }

    [Fact]
    public async Task A_flow_waiting_at_the_email_stage_keeps_no_plaintext_password_and_the_user_signs_in_with_it_afterwards()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var imported = await scope.ServiceProvider.GetRequiredService<BlueprintImporter>().ImportAsync(Blueprint, null, dryRun: false, default);
            Assert.True(imported.Success, imported.ToString());
        }
        const string url = "/if/flow/at-rest/";
        using var client = app.NewClient();
        var page = await client.GetPageAsync(url);
        var posted = await SubmitAsync(client, url, page,
            ("username", "at-rest-ann"), ("name", "Ann"), ("email", "at-rest-ann@example.com"), ("password", Password), ("password_repeat", Password));
        posted.AssertRedirect(url);
        var waiting = await client.GetPageAsync(url);
        Assert.NotNull(waiting.QuerySelector("#flow-card .email-stage"));

        // Paused: the plan is stored, the user not written yet.
        var plan = await app.DbAsync(db => db.FlowPlans.AsNoTracking().SingleAsync(p => p.Flow.Slug == "at-rest"));
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "at-rest-ann")));
        if (!TestDatabase.IsPostgres)
        {
            Assert.True(File.Exists(Path.Combine(app.DataDirectory, "enrollment.db")));
            Assert.NotEmpty(FilesContaining("at-rest-ann@example.com")); // the scan finds what the plan holds…
            Assert.Empty(FilesContaining(Password)); // …and not the password
        }
        Assert.DoesNotContain(Password, plan.Context.ToJsonString());
        Assert.NotNull(PasswordValue.HashOf(plan.Context["prompt_data"]?["password"]));

        // The link from the email, confirmed: the user is written with the password and signed in.
        var message = await app.Smtp.WaitForAsync(1);
        var link = LinkPattern().Match(message.Single(m => m.To.Mailboxes.Any(x => x.Address == "at-rest-ann@example.com")).TextBody).Groups[1].Value;
        var confirm = await client.GetPageAsync(link);
        var confirmed = await client.Http.PostAsync(link, new FormUrlEncodedContent(
        [
            new("flow_token", confirm.QuerySelector("#flow-card input[name=flow_token]")!.GetAttribute("value")!),
            new("stage", confirm.QuerySelector("#flow-card input[name=stage]")!.GetAttribute("value")!),
            new("__RequestVerificationToken", TestClient.AntiforgeryToken(confirm)),
        ]));
        confirmed.AssertRedirect(url);
        var finished = await client.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, finished.StatusCode);
        Assert.True(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "at-rest-ann" && u.IsActive)));

        using var later = app.NewClient();
        await later.LoginAsync("at-rest-ann", Password);
        if (!TestDatabase.IsPostgres) Assert.Empty(FilesContaining(Password));
    }
}
