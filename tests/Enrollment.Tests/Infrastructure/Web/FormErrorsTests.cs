using Enrollment.Domain;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Infrastructure.Web;

/// <summary>
/// What a submit with mistakes gives back, on admin forms and flow stages alike: one announced summary linking to the
/// bad fields, each bad field marked (aria-invalid) and pointing at its message, focus on the first bad field.
/// </summary>
public sealed class FormErrorsTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private static void AssertOneAutofocus(AngleSharp.Html.Dom.IHtmlDocument page, string id)
    {
        var focused = page.QuerySelectorAll("[autofocus]").ToList();
        Assert.True(focused.Count == 1, $"{focused.Count} elements ask for focus: {string.Join(", ", focused.Select(f => f.Id))}");
        Assert.Equal(id, focused[0].Id);
    }

    [Fact]
    public async Task An_admin_form_marks_the_bad_field_points_it_at_its_message_focuses_it_and_summarises()
    {
        using var admin = await app.AdminClientAsync();
        var blank = await admin.GetPageAsync("/if/admin/groups/new/");
        Assert.Null(blank.QuerySelector("[role=alert]")); // nothing to announce before a submit
        Assert.Null(blank.QuerySelector("[aria-invalid]"));

        var page = await TestClient.ParseAsync(await admin.PostFormAsync("/if/admin/groups/new/", ("Input.Name", ""), ("Input.Attributes", "{}")));
        var field = page.QuerySelector("#Input_Name")!;
        Assert.Equal("true", field.GetAttribute("aria-invalid"));
        var message = page.GetElementById(field.GetAttribute("aria-describedby")!.Split(' ').Last())!;
        Assert.Contains("field-error", message.ClassName);
        Assert.False(string.IsNullOrWhiteSpace(message.TextContent));
        AssertOneAutofocus(page, "Input_Name");
        var summary = page.QuerySelector(".error-summary[role=alert]");
        Assert.True(summary is not null, page.QuerySelector("main")!.OuterHtml);
        Assert.Equal("One field needs your attention.", summary.QuerySelector(".error-summary-title")!.TextContent);
        Assert.Equal("#Input_Name", summary.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal(message.TextContent.Trim(), summary.QuerySelector("a")!.TextContent.Trim());
        Assert.Null(page.QuerySelector("#Input_Attributes[aria-invalid]"));
    }

    [Fact]
    public async Task The_sign_in_form_gives_up_its_own_focus_to_the_field_that_is_wrong()
    {
        using var client = app.NewClient();
        AssertOneAutofocus(await client.GetPageAsync("/if/login/"), "Input_Username");
        var page = await TestClient.ParseAsync(await client.PostFormAsync("/if/login/", ("Input.Username", "someone"), ("Input.Password", "")));
        AssertOneAutofocus(page, "Input_Password");
        Assert.NotNull(page.QuerySelector(".error-summary[role=alert] a[href='#Input_Password']"));
    }

    [Fact]
    public async Task A_flow_stage_focuses_its_first_field_on_arrival_and_its_first_bad_field_after_a_submit()
    {
        var stage = new PromptStage
        {
            Name = "focus-prompts",
            Fields =
            [
                new() { Name = "focus-note", FieldKey = "note", Label = "Read this", Type = PromptType.Static, InitialValue = "Hello", Order = 0 },
                new() { Name = "focus-first", FieldKey = "first", Label = "First", Type = PromptType.Text, Required = true, Order = 1 },
                new() { Name = "focus-second", FieldKey = "second", Label = "Second", Type = PromptType.Text, Required = true, Order = 2 },
            ],
        };
        var (flow, _) = await FlowKit.FlowAsync(app, "focus", [stage]);
        using var client = app.NewClient();
        var url = FlowKit.FlowUrl(flow);
        var arrival = await client.GetPageAsync(url);
        var first = arrival.QuerySelector("#flow-card input[name=first]")!;
        AssertOneAutofocus(arrival, first.Id!);
        Assert.Null(arrival.QuerySelector("[role=alert]"));

        var page = await FlowKit.PageOf(await client.SubmitAsync(url, arrival, ("first", "filled"), ("second", "")));
        var second = page.QuerySelector("#flow-card input[name=second]")!;
        Assert.Equal("true", second.GetAttribute("aria-invalid"));
        AssertOneAutofocus(page, second.Id!);
        var summary = page.QuerySelector("#flow-card .error-summary[role=alert]")!;
        Assert.Equal("One field needs your attention.", summary.QuerySelector(".error-summary-title")!.TextContent);
        Assert.Equal($"#{second.Id}", summary.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("Second", summary.QuerySelector("a")!.TextContent);
        Assert.Single(page.QuerySelectorAll("#flow-card .field-error"));
    }
}
