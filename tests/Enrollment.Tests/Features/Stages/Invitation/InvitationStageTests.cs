using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Stages.Invitation;

/// <summary>Where the invitation stage finds its token, what it does without one, and how fixed data lands on prompt_data.</summary>
public sealed class InvitationStageTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Theory]
    [InlineData("itoken")]
    [InlineData("token")]
    public async Task The_token_is_taken_from_the_query_string(string parameter)
    {
        var slug = $"st-query-{parameter}";
        var setup = await GuideFlowAsync(app, slug, UserType.Internal, "users/internal");
        var invitation = await setup.InviteAsync(app, slug, fixedData: new() { ["name"] = $"Via {parameter}" });
        using var client = app.NewClient();
        var link = $"/if/flow/{slug}/?{parameter}={invitation.Id}";

        var page = await client.GetPageAsync(link);
        Assert.Equal($"Via {parameter}", InputValue(page, "name"));
        var posted = await client.SubmitAsync(link, page, Answers($"via-{parameter}", $"Via {parameter}"));
        posted.AssertRedirect("/if/user/");

        await AssertUserAsync(app, $"via-{parameter}", $"Via {parameter}", $"via-{parameter}@example.com", "users/internal", UserType.Internal, []);
        Assert.Equal(1, await UsesAsync(app, invitation.Id));
        Assert.Contains($"via-{parameter}", (await client.GetPageAsync("/if/user/")).QuerySelector("dl")!.TextContent);
    }

    /// <summary>
    /// A flow that asks for the token first (a prompt with field key <c>token</c>), then checks it at the invitation
    /// stage. Fixed data then deep-merges into prompt_data: the <c>attributes</c> object of the invitation merges with
    /// the <c>attributes.*</c> values typed before it, down to nested objects, and pre-fills the next stage.
    /// </summary>
    [Fact]
    public async Task The_token_is_taken_from_a_prompt_and_fixed_data_merges_with_what_was_entered_before()
    {
        const string slug = "st-prompt-token";
        var first = new PromptStage
        {
            Name = $"{slug}-first",
            Fields =
            [
                Field(slug, "token", PromptType.Text, 0),
                Field(slug, "attributes.team", PromptType.Text, 1),
                Field(slug, "attributes.office.floor", PromptType.Text, 2),
            ],
        };
        var (flow, _) = await FlowAsync(app, slug, [first, new InvitationStage { Name = $"{slug}-invitation" }, AccountPrompts(slug),
            new UserWriteStage { Name = $"{slug}-write", UserType = UserType.Internal, UserPathTemplate = "users/internal" },
            new UserLoginStage { Name = $"{slug}-login" }]);
        var invitation = await InvitationAsync(app, slug, flow.Id, fixedData: new()
        {
            ["email"] = "typed-token@example.com",
            ["attributes"] = new JsonObject { ["department"] = "Sales", ["office"] = new JsonObject { ["city"] = "Berlin" } },
        });
        using var client = app.NewClient();

        var url = FlowUrl(slug);
        var page = await client.GetPageAsync(url);
        Assert.NotNull(page.QuerySelector("#flow-card input[name=token]"));
        var posted = await client.SubmitAsync(url, page, ("token", $" {invitation.Id} "), ("attributes.team", "Blue"), ("attributes.office.floor", "3"));
        posted.AssertRedirect(url);

        page = await client.GetPageAsync(url); // the invitation stage ran; the account stage is pre-filled
        Assert.Equal("typed-token@example.com", InputValue(page, "email"));
        var plan = await app.DbAsync(db => db.FlowPlans.AsNoTracking().SingleAsync(p => p.FlowId == flow.Id));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"token":"TOKEN","attributes.team":"Blue","attributes.office.floor":"3","email":"typed-token@example.com",
             "attributes":{"department":"Sales","office":{"city":"Berlin"}}}
            """.Replace("TOKEN", invitation.Id.ToString())), plan.Context["prompt_data"]), plan.Context["prompt_data"]!.ToJsonString());
        posted = await client.SubmitAsync(url, page, Answers("prompt-token", email: InputValue(page, "email")));
        posted.AssertRedirect("/if/user/");

        await AssertUserAsync(app, "prompt-token", "Name of prompt-token", "typed-token@example.com", "users/internal", UserType.Internal, [],
            """{"team":"Blue","department":"Sales","office":{"floor":"3","city":"Berlin"}}""");
        Assert.Equal(1, await UsesAsync(app, invitation.Id));
    }

    /// <summary>Fixed data is put on top of prompt_data: a value entered before the invitation stage is replaced by the invitation's.</summary>
    [Fact]
    public async Task Fixed_data_wins_over_a_value_entered_before_the_invitation_stage()
    {
        const string slug = "st-fixed-wins";
        var first = new PromptStage { Name = $"{slug}-first", Fields = [Field(slug, "token", PromptType.Text, 0), Field(slug, "attributes", PromptType.Text, 1, required: false), Field(slug, "email", PromptType.Email, 2)] };
        var second = new PromptStage
        {
            Name = $"{slug}-second",
            Fields = [Field(slug, "username", PromptType.Username, 0), Field(slug, "name", PromptType.Text, 1), Field(slug, "password", PromptType.Password, 2)],
        };
        var (flow, _) = await FlowAsync(app, slug, [first, new InvitationStage { Name = $"{slug}-invitation" }, second,
            new UserWriteStage { Name = $"{slug}-write" }, new UserLoginStage { Name = $"{slug}-login" }]);
        var invitation = await InvitationAsync(app, slug, flow.Id, fixedData: new()
        {
            ["email"] = "fixed@example.com",
            ["attributes"] = new JsonObject { ["department"] = "Sales" },
        });
        using var client = app.NewClient();

        var url = FlowUrl(slug);
        var page = await client.GetPageAsync(url);
        // "attributes" typed as text is a string; the invitation's object replaces it rather than merging into it.
        (await client.SubmitAsync(url, page, ("token", invitation.Id.ToString()), ("attributes", "typed"), ("email", "typed@example.com"))).AssertRedirect(url);
        page = await client.GetPageAsync(url);
        (await client.SubmitAsync(url, page, ("username", "fixed-wins"), ("name", "Fixed Wins"), ("password", Password))).AssertRedirect("/if/user/");

        await AssertUserAsync(app, "fixed-wins", "Fixed Wins", "fixed@example.com", "users", UserType.External, [], """{"department":"Sales"}""");
    }

    [Fact]
    public async Task Continue_flow_without_invitation_lets_a_visitor_without_token_enroll()
    {
        var setup = await GuideFlowAsync(app, "st-open", UserType.External, "users/external", continueWithoutInvitation: true);
        using var client = app.NewClient();

        await client.EnrollToTheEndAsync("/if/flow/st-open/", Answers("walk-in"));

        await AssertUserAsync(app, "walk-in", "Name of walk-in", "walk-in@example.com", "users/external", UserType.External, []);
        var plan = await app.DbAsync(db => db.FlowPlans.AnyAsync(p => p.FlowId == setup.Flow.Id));
        Assert.False(plan); // finished: the plan is gone

        // A bad token is no invitation either, and the flow still goes on; a good one still applies its fixed data.
        using var second = app.NewClient();
        await second.EnrollToTheEndAsync("/if/flow/st-open/?itoken=not-a-uuid", Answers("walk-in-2"));
        var invitation = await setup.InviteAsync(app, "open-with-data", fixedData: new() { ["attributes"] = new JsonObject { ["vip"] = true } });
        using var third = app.NewClient();
        await third.EnrollToTheEndAsync(setup.Link(invitation), Answers("invited"));
        await AssertUserAsync(app, "walk-in-2", "Name of walk-in-2", "walk-in-2@example.com", "users/external", UserType.External, []);
        await AssertUserAsync(app, "invited", "Name of invited", "invited@example.com", "users/external", UserType.External, [], """{"vip":true}""");
        Assert.Equal(1, await UsesAsync(app, invitation.Id));
    }

    [Fact]
    public async Task Without_continue_flow_without_invitation_the_same_visitor_is_refused()
    {
        await GuideFlowAsync(app, "st-closed");
        using var client = app.NewClient();
        AssertDenied(await client.GetPageAsync("/if/flow/st-closed/"), InvitationMessages.Missing);
    }
}
