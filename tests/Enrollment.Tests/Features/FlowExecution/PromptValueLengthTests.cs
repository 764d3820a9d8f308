using System.Net;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.FlowExecution.Stages;

/// <summary>A prompt's value has at most <see cref="PromptValues.MaxLength"/> characters: more is an error on the field, and nothing is kept.</summary>
public sealed class PromptValueLengthTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private const string Password = "Length-Tulip-Glacier-58!";

    [Theory]
    [InlineData("name")]
    [InlineData("email")]
    [InlineData("password")]
    public async Task A_value_over_4096_characters_is_an_error_on_its_field_and_nothing_is_stored(string field)
    {
        var username = $"long-{field}";
        var (client, link, page) = await OpenFlowAsync();
        var answers = Answers(username, page);
        var tooLong = field == "email" ? new string('e', 4096) + "@example.com" : new string('x', PromptValues.MaxLength + 1);
        answers[answers.FindIndex(a => a.Key == field)] = new(field, tooLong);
        if (field == "password") answers[answers.FindIndex(a => a.Key == "password_repeat")] = new("password_repeat", tooLong);

        var response = await client.Http.PostAsync(link, new FormUrlEncodedContent(answers));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var shown = await TestClient.ParseAsync(response);
        Assert.Contains("Use at most 4,096 characters.", TestClient.Errors(shown));
        Assert.Null(await app.DbAsync(db => db.Users.SingleOrDefaultAsync(u => u.UserName == username)));
        Assert.DoesNotContain(await PlanContextsAsync(), c => c.Contains(new string('x', 100)) || c.Contains(new string('e', 100)));
        Assert.DoesNotContain(await EventContextsAsync(), c => c.Length > 16 * 1024);
        if (field != "password")
            Assert.True((shown.QuerySelector($"#flow-card [name={field}]")?.GetAttribute("value") ?? "").Length <= PromptValues.MaxLength);
    }

    [Fact]
    public async Task A_value_of_exactly_4096_characters_passes_the_prompt_stage()
    {
        var (client, link, page) = await OpenFlowAsync();
        var answers = Answers("long-but-fine", page);
        // A password: the one default field no column limits further (a user's name has at most 300 characters).
        var password = "Aa1!" + new string('p', PromptValues.MaxLength - 4);
        answers[answers.FindIndex(a => a.Key == "password")] = new("password", password);
        answers[answers.FindIndex(a => a.Key == "password_repeat")] = new("password_repeat", password);
        (await client.Http.PostAsync(link, new FormUrlEncodedContent(answers))).AssertRedirect("/if/user/");
        Assert.NotNull(await app.DbAsync(db => db.Users.SingleOrDefaultAsync(u => u.UserName == "long-but-fine")));
    }

    private Task<List<string>> PlanContextsAsync() => app.DbAsync(async db =>
        (await db.FlowPlans.AsNoTracking().Select(p => p.Context).ToListAsync()).Select(c => c.ToJsonString()).ToList());

    private Task<List<string>> EventContextsAsync() => app.DbAsync(async db =>
        (await db.Events.AsNoTracking().Select(e => e.Context).ToListAsync()).Select(c => c.ToJsonString()).ToList());

    private async Task<(TestClient Client, string Link, IHtmlDocument Page)> OpenFlowAsync()
    {
        var invitation = await app.DbAsync(async db =>
        {
            var flow = await db.Flows.SingleAsync(f => f.Slug == "invitation-enrollment");
            var i = new Invitation { Name = $"length-{Guid.NewGuid():N}", FlowId = flow.Id };
            db.Invitations.Add(i);
            await db.SaveChangesAsync();
            return i.Id;
        });
        var client = app.NewClient();
        var link = $"/if/flow/invitation-enrollment/?itoken={invitation}";
        return (client, link, await client.GetPageAsync(link));
    }

    private static List<KeyValuePair<string, string>> Answers(string username, IHtmlDocument page) =>
    [
        new("stage", page.QuerySelector("#flow-card input[name=stage]")!.GetAttribute("value")!),
        new("__RequestVerificationToken", TestClient.AntiforgeryToken(page)),
        new("username", username),
        new("name", $"Name of {username}"),
        new("email", $"{username}@example.com"),
        new("password", Password),
        new("password_repeat", Password),
    ];
}
