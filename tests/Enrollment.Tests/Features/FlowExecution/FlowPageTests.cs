using Enrollment.Domain;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.FlowExecution;

/// <summary>The flow page around the stage: the step it is at, the denial's own title, the brand's chrome.</summary>
public sealed class FlowPageTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private static PromptStage Prompt(string slug, string key) => new()
    {
        Name = $"{slug}-{key}",
        Fields = [new() { Name = $"{slug}-{key}-field", FieldKey = key, Label = key, Type = PromptType.Text, Required = true, Order = 0 }],
    };

    [Fact]
    public async Task A_flow_with_two_forms_says_which_step_the_invitee_is_at_and_a_flow_with_one_says_nothing()
    {
        var (flow, _) = await FlowKit.FlowAsync(app, "two-steps", [Prompt("two-steps", "first"), Prompt("two-steps", "second"), new DenyStage { Name = "two-steps-end", DenyMessage = "All done." }]);
        using var client = app.NewClient();
        var url = FlowKit.FlowUrl(flow);
        var first = await client.GetPageAsync(url);
        Assert.Equal("Step 1 of 2", first.QuerySelector("#flow-card .flow-step")!.TextContent.Trim());
        Assert.Equal("Title of two-steps · Step 1 of 2 · Enrollment", first.Title);
        Assert.Equal("Title of two-steps", first.QuerySelector("#flow-card h1")!.TextContent.Trim());
        var second = await FlowKit.PageAfterAsync(client, await client.SubmitAsync(url, first, ("first", "one")));
        Assert.Equal("Step 2 of 2", second.QuerySelector("#flow-card .flow-step")!.TextContent.Trim());

        // The denial says so in its heading and the window's title, and names the flow below.
        var denied = await FlowKit.PageAfterAsync(client, await client.SubmitAsync(url, second, ("second", "two")));
        FlowKit.AssertDenied(denied, "All done.");
        Assert.Equal("Request has been denied.", denied.QuerySelector("#flow-card h1")!.TextContent.Trim());
        Assert.StartsWith("Request has been denied · Title of two-steps", denied.Title);

        var (single, _) = await FlowKit.FlowAsync(app, "one-step", [Prompt("one-step", "only")]);
        var page = await client.GetPageAsync(FlowKit.FlowUrl(single));
        Assert.Null(page.QuerySelector("#flow-card .flow-step"));
        Assert.Equal("Title of one-step · Enrollment", page.Title);
    }

    [Fact]
    public async Task Flow_pages_carry_the_brands_logo_and_footer_and_no_admin_chrome()
    {
        var (flow, _) = await FlowKit.FlowAsync(app, "chrome", [Prompt("chrome", "field")]);
        using var client = app.NewClient();
        var page = await client.GetPageAsync(FlowKit.FlowUrl(flow));
        Assert.NotNull(page.QuerySelector("body.flow-page main .flow-box .flow-brand img"));
        Assert.NotNull(page.QuerySelector(".flow-box > #flow-card + .flow-footer"));
        Assert.Null(page.QuerySelector("header.topbar"));
        Assert.Null(page.QuerySelector("nav"));
    }
}
