using System.Net;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.FlowExecution.Scenarios;

/// <summary>
/// What the scenario tests share: walking a flow as a browser with JavaScript off (GET the stage, post its form
/// back with the page's antiforgery token and hidden <c>stage</c> field), building flows of any shape, and
/// reading back the user the flow wrote.
/// </summary>
public static class ScenarioKit
{
    public const string Password = "Enroll-Passw0rd!";

    public static string FlowUrl(string slug) => $"/if/flow/{slug}/";

    /// <summary>The hidden <c>stage</c> field of the form on the page (the current binding id).</summary>
    public static string StageId(IHtmlDocument page) =>
        page.QuerySelector("#flow-card form input[name=stage]")?.GetAttribute("value")
        ?? throw new Xunit.Sdk.XunitException("The page shows no stage form: " + TestClient.Excerpt(page.DocumentElement.OuterHtml));

    /// <summary>The denial the invitee reads in the flow card (<c>#flow-card [role=alert]</c>), or null when there is none.</summary>
    public static string? Denial(IHtmlDocument page) =>
        page.QuerySelector("#flow-card [role=alert] .error")?.TextContent.Trim();

    public static void AssertDenied(IHtmlDocument page, string message)
    {
        var alert = page.QuerySelector("#flow-card [role=alert]");
        Assert.True(alert is not null, "No alert in the flow card: " + TestClient.Excerpt(page.DocumentElement.OuterHtml));
        Assert.Contains("Request has been denied.", alert!.TextContent);
        Assert.Equal(message, Denial(page));
        Assert.Null(page.QuerySelector("#flow-card form")); // nothing more to fill in
    }

    public static string? InputValue(IHtmlDocument page, string name) =>
        page.QuerySelector($"#flow-card [name='{name}']")?.GetAttribute("value");

    /// <summary>Posts the stage form shown on <paramref name="page"/> (which was loaded from <paramref name="url"/>) as a browser would.</summary>
    public static Task<HttpResponseMessage> SubmitAsync(this TestClient client, string url, IHtmlDocument page, params (string Key, string Value)[] fields)
    {
        var all = fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).ToList();
        all.Add(new("stage", StageId(page)));
        all.Add(new("__RequestVerificationToken", TestClient.AntiforgeryToken(page)));
        return client.Http.PostAsync(url, new FormUrlEncodedContent(all));
    }

    /// <summary>
    /// Opens <paramref name="link"/> and fills the prompt stage with <paramref name="answers"/>; the POST runs the stages
    /// without a form that follow (user write, user login). Returns its response: a redirect out of the flow when the
    /// flow is done, a denial page, or — when a stage with a form follows — the GET of that stage.
    /// </summary>
    public static async Task<HttpResponseMessage> EnrollAsync(this TestClient client, string link, params (string Key, string Value)[] answers)
    {
        var page = await client.GetPageAsync(link);
        var flowUrl = FlowPath(link);
        var posted = await client.SubmitAsync(link, page, answers);
        return posted.StatusCode == HttpStatusCode.Redirect && posted.Headers.Location?.OriginalString == flowUrl
            ? await client.Http.GetAsync(flowUrl)
            : posted;
    }

    /// <summary>Like <see cref="EnrollAsync"/> and asserts the flow ended at the user interface.</summary>
    public static async Task EnrollToTheEndAsync(this TestClient client, string link, params (string Key, string Value)[] answers)
    {
        var done = await client.EnrollAsync(link, answers);
        done.AssertRedirect("/if/user/");
    }

    public static string FlowPath(string link) => link.Split('?')[0];

    public static async Task<IHtmlDocument> PageOf(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {TestClient.Excerpt(body)}");
        return new AngleSharp.Html.Parser.HtmlParser().ParseDocument(body);
    }

    /// <summary>A client whose cookies live in <paramref name="cookies"/>, so they can be inspected, dropped or carried to another server.</summary>
    public static TestClient ClientWithCookies(this EnrollmentApp app, System.Net.CookieContainer cookies) =>
        new(app.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(cookies)));

    // ---- flows of any shape ----

    /// <summary>Binds <paramref name="stages"/> to a new enrollment flow in the given order (10, 20, …).</summary>
    public static async Task<(Flow Flow, List<FlowStageBinding> Bindings)> FlowAsync(EnrollmentApp app, string slug, params Stage[] stages)
    {
        var flow = new Flow { Name = $"Enrollment {slug}", Slug = slug, Title = $"Welcome to {slug}", Designation = FlowDesignation.Enrollment };
        var bindings = stages.Select((s, i) => new FlowStageBinding { Flow = flow, Stage = s, Order = (i + 1) * 10 }).ToList();
        await app.DbAsync(db =>
        {
            db.Flows.Add(flow);
            db.FlowStageBindings.AddRange(bindings);
            return db.SaveChangesAsync();
        });
        return (flow, bindings);
    }

    /// <summary>Binds one more prompt stage with a single text field <paramref name="key"/> to <paramref name="flow"/> at <paramref name="order"/>.</summary>
    public static Task BindPromptStageAsync(EnrollmentApp app, Flow flow, string key, int order) => app.DbAsync(db =>
    {
        var stage = new PromptStage { Name = $"{flow.Slug}-{key}", Fields = [Prompt(flow.Slug, key, PromptType.Text, 0)] };
        db.Add(stage);
        db.Add(new FlowStageBinding { FlowId = flow.Id, Stage = stage, Order = order });
        return db.SaveChangesAsync();
    });

    public static Prompt Prompt(string slug, string key, PromptType type, int order, bool required = true) =>
        new() { Name = $"{slug}-{key}", FieldKey = key, Label = key, Type = type, Order = order, Required = required };

    /// <summary>The guide's prompt stage: username, name, email, password, password_repeat.</summary>
    public static PromptStage AccountPrompts(string slug) => new()
    {
        Name = $"{slug}-account",
        Fields =
        [
            Prompt(slug, "username", PromptType.Username, 0),
            Prompt(slug, "name", PromptType.Text, 1),
            Prompt(slug, "email", PromptType.Email, 2),
            Prompt(slug, "password", PromptType.Password, 3),
            Prompt(slug, "password_repeat", PromptType.Password, 4),
        ],
    };

    public static async Task<Invitation> InvitationAsync(EnrollmentApp app, string name, Guid? flowId, bool singleUse = true, JsonObject? fixedData = null, DateTime? expires = null)
    {
        var invitation = new Invitation { Name = name, FlowId = flowId, SingleUse = singleUse, FixedData = fixedData ?? [], Expires = expires };
        await app.DbAsync(db => { db.Invitations.Add(invitation); return db.SaveChangesAsync(); });
        return invitation;
    }

    // ---- what was written ----

    public static Task<User?> UserAsync(EnrollmentApp app, string username) =>
        app.DbAsync(db => db.Users.AsNoTracking().Include(u => u.Groups).SingleOrDefaultAsync(u => u.UserName == username));

    public static Task<int> UserCountAsync(EnrollmentApp app) => app.DbAsync(db => db.Users.CountAsync());

    public static Task<int> UsesAsync(EnrollmentApp app, Guid invitationId) =>
        app.DbAsync(db => db.Invitations.AsNoTracking().Where(i => i.Id == invitationId).Select(i => i.Uses).SingleAsync());

    /// <summary>Checks every field of the written user the scenarios care about.</summary>
    public static async Task<User> AssertUserAsync(EnrollmentApp app, string username, string name, string? email, string path, UserType type,
        string[] groups, string attributesJson = "{}", bool isActive = true, bool hasPassword = true)
    {
        var user = await UserAsync(app, username);
        Assert.True(user is not null, $"No user {username} was written.");
        Assert.Equal(username, user!.UserName);
        Assert.Equal(name, user.Name);
        Assert.Equal(email, user.Email);
        Assert.Equal(path, user.Path);
        Assert.Equal(type, user.Type);
        Assert.Equal(groups.Order(), user.Groups.Select(g => g.Name).Order());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(attributesJson), user.Attributes),
            $"Attributes: expected {attributesJson}, got {user.Attributes.ToJsonString()}");
        Assert.Equal(isActive, user.IsActive);
        Assert.Equal(hasPassword, user.PasswordHash is not null);
        return user;
    }

    public static (string, string)[] Answers(string username, string? name = null, string? email = null) =>
        EnrollmentSetup.Answers(username, Password, name, email);
}
