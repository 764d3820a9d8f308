using System.Net;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Features.FlowExecution.Stages;

/// <summary>Builds flows out of arbitrary stages and walks them like a browser with JavaScript off.</summary>
public static class StageTestKit
{
    public const string Password = "Enroll-Passw0rd!";

    /// <summary>A flow with the given stages bound in this order (orders 10, 20, …); <paramref name="configure"/> sees each binding.</summary>
    public static async Task<(Flow Flow, List<FlowStageBinding> Bindings)> FlowAsync(EnrollmentApp app, string slug, IEnumerable<Stage> stages,
        Action<Flow>? configureFlow = null, Action<int, FlowStageBinding>? configure = null)
    {
        var flow = new Flow { Name = $"Flow {slug}", Slug = slug, Title = $"Title of {slug}" };
        configureFlow?.Invoke(flow);
        var bindings = stages.Select((s, i) => new FlowStageBinding { Flow = flow, Stage = s, Order = (i + 1) * 10 }).ToList();
        for (var i = 0; i < bindings.Count; i++) configure?.Invoke(i, bindings[i]);
        await app.DbAsync(db =>
        {
            db.Flows.Add(flow);
            db.FlowStageBindings.AddRange(bindings);
            return db.SaveChangesAsync();
        });
        return (flow, bindings);
    }

    public static string Url(Flow flow) => $"/if/flow/{flow.Slug}/";

    public static PromptStage PromptStageOf(string name, params Prompt[] prompts) => new() { Name = name, Fields = [.. prompts] };

    public static Prompt Field(string stage, string key, PromptType type = PromptType.Text, int order = 0, bool required = true) =>
        new() { Name = $"{stage}-{key}", FieldKey = key, Label = $"Label of {key}", Type = type, Order = order, Required = required };

    /// <summary>Posts the stage shown on <paramref name="page"/> with its antiforgery token and stage id, like the browser would.</summary>
    public static Task<HttpResponseMessage> PostStageAsync(TestClient client, IHtmlDocument page, string url, params (string Key, string Value)[] fields)
    {
        var all = fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).ToList();
        all.Add(new("__RequestVerificationToken", TestClient.AntiforgeryToken(page)));
        all.Add(new("stage", page.QuerySelector("#flow-card input[name=stage]")?.GetAttribute("value")
            ?? throw new Xunit.Sdk.XunitException("No stage form: " + TestClient.Excerpt(page.DocumentElement.OuterHtml))));
        return client.Http.PostAsync(url, new FormUrlEncodedContent(all));
    }

    /// <summary>GETs the current stage of <paramref name="url"/> and submits it.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(TestClient client, string url, params (string Key, string Value)[] fields)
    {
        var page = await client.GetPageAsync(url);
        return await PostStageAsync(client, page, url, fields);
    }

    /// <summary>Follows redirects (as a browser would) and returns every response on the way, the last one not a redirect.</summary>
    public static async Task<List<HttpResponseMessage>> FollowAsync(TestClient client, HttpResponseMessage response)
    {
        var chain = new List<HttpResponseMessage> { response };
        while (chain[^1].StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.Found && chain.Count < 10)
        {
            var location = chain[^1].Headers.Location!;
            chain.Add(await client.Http.GetAsync(location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString));
        }
        return chain;
    }

    public static async Task<IHtmlDocument> PageAfterAsync(TestClient client, HttpResponseMessage response)
    {
        var chain = await FollowAsync(client, response);
        return await TestClient.ParseAsync(chain[^1]);
    }

    public static string? DeniedMessage(IHtmlDocument page) => page.QuerySelector("#flow-card .denied .error")?.TextContent.Trim();

    public static async Task<User> UserAsync(EnrollmentApp app, string username, params Group[] groups)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var db = scope.ServiceProvider.GetRequiredService<Enrollment.Infrastructure.Data.AppDbContext>();
        var user = new User { UserName = username, Name = $"Name of {username}", Email = $"{username}@example.com", Type = UserType.Internal };
        foreach (var g in groups) user.Groups.Add(db.Groups.Find(g.Id)!);
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return user;
    }

    public static async Task<Group> GroupAsync(EnrollmentApp app, string name, Group? parent = null)
    {
        var group = new Group { Name = name, ParentId = parent?.Id };
        await app.DbAsync(db => { db.Groups.Add(group); return db.SaveChangesAsync(); });
        return group;
    }

    public static async Task BindAsync(EnrollmentApp app, PolicyBinding binding)
    {
        await app.DbAsync(db => { db.PolicyBindings.Add(binding); return db.SaveChangesAsync(); });
    }

    /// <summary>The user interface sends this client to the sign-in page: nobody is signed in.</summary>
    public static async Task AssertSignedOutAsync(TestClient client)
    {
        var response = await client.Http.GetAsync("/if/user/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/if/login/", new Uri(new Uri("http://localhost"), response.Headers.Location!).AbsolutePath);
    }

    public static async Task<TestClient> SignedInAsync(EnrollmentApp app, string username)
    {
        var client = app.NewClient();
        await client.LoginAsync(username, Password);
        return client;
    }
}
