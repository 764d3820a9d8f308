using System.Net;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Enrollment.Infrastructure.Python;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Features.Policies.PolicyPages;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Policies;

/// <summary><c>/if/admin/policies/{id}/</c> and its Test action: the documented snippets, messages, logs and errors, as text, with and without htmx.</summary>
[Collection(PoliciesCollection.Name)]
public sealed class PolicyDetailsTests(Hosts.Default app)
{
    // ---- the Test action ----

    [SkippableFact]
    public async Task The_documented_invitation_snippet_passes_only_with_an_invitation_in_effect()
    {
        PythonAvailable.Require(app);
        using var client = await app.AdminClientAsync();
        var id = await CreateAsync(app, client, "Test invited", InvitedSnippet);
        Assert.Equal("true", Passing(await TestAsync(client, id, "invitation_in_effect: true")));
        Assert.Equal("true", Passing(await TestAsync(client, id, """{"invitation_in_effect": true}""")));
        var empty = await TestAsync(client, id);
        Assert.Equal("false", Passing(empty));
        Assert.Equal("false", empty.QuerySelector("#test-value")!.TextContent.Trim());
        Assert.Equal("AnonymousUser", empty.QuerySelector("#policy-test-result dd")!.TextContent.Trim());
    }

    [SkippableFact]
    public async Task The_documented_department_snippet_reads_a_real_invitations_fixed_data()
    {
        PythonAvailable.Require(app);
        using var client = await app.AdminClientAsync();
        var setup = await GuideFlowAsync(app, "policy-test-department");
        var engineering = await setup.InviteAsync(app, "dept-engineering", fixedData: new JsonObject { ["department"] = "Engineering" });
        var sales = await setup.InviteAsync(app, "dept-sales", fixedData: new JsonObject { ["department"] = "Sales" });
        var id = await CreateAsync(app, client, "Test department", DepartmentSnippet);

        Assert.Equal("true", Passing(await TestAsync(client, id, $"invitation: {engineering.Id}\ninvitation_in_effect: true")));
        Assert.Equal("false", Passing(await TestAsync(client, id, $$"""{"invitation": "{{sales.Id}}"}""")));

        // No invitation in the context: the snippet fails on its second line, and the page says so.
        var none = await TestAsync(client, id);
        Assert.Equal("false", Passing(none));
        var error = none.QuerySelector("#test-error")!.TextContent;
        Assert.StartsWith("Line 2: AttributeError", error);
    }

    [SkippableFact]
    public async Task The_documented_email_snippet_checks_prompt_data()
    {
        PythonAvailable.Require(app);
        using var client = await app.AdminClientAsync();
        var id = await CreateAsync(app, client, "Test email", EmailSnippet);
        Assert.Equal("true", Passing(await TestAsync(client, id, "prompt_data:\n  email: jane@example.com")));
        Assert.Equal("false", Passing(await TestAsync(client, id, """{"prompt_data": {"email": "jane@evil.test"}}""")));
        Assert.Equal("false", Passing(await TestAsync(client, id)));
    }

    [SkippableFact]
    public async Task Messages_and_log_lines_are_shown()
    {
        PythonAvailable.Require(app);
        using var client = await app.AdminClientAsync();
        var id = await CreateAsync(app, client, "Test output", """
            ak_message('First message')
            ak_message('Second message')
            ak_logger.info('checking', who=request.user.username)
            ak_logger.warning('careful')
            return {'answer': 42}
            """);
        var page = await TestAsync(client, id);
        Assert.Equal("true", Passing(page));
        Assert.Equal(["First message", "Second message"], page.QuerySelectorAll("#test-messages li").Select(li => li.TextContent));
        var logs = page.QuerySelector("#test-logs")!.TextContent;
        Assert.Contains("checking", logs);
        Assert.Contains("AnonymousUser", logs);
        Assert.Contains("careful", logs);
        Assert.Contains("\"answer\": 42", page.QuerySelector("#test-value")!.TextContent);
        Assert.Null(page.QuerySelector("#test-error"));
    }

    [SkippableFact]
    public async Task An_exception_is_shown_with_its_line()
    {
        PythonAvailable.Require(app);
        using var client = await app.AdminClientAsync();
        var id = await CreateAsync(app, client, "Test exception", "ak_message('before')\nvalues = {}\nreturn values['missing']");
        var page = await TestAsync(client, id);
        Assert.Equal("false", Passing(page));
        Assert.Equal("Line 3: KeyError: 'missing'", page.QuerySelector("#test-error")!.TextContent.Trim());
    }

    [SkippableFact]
    public async Task The_test_runs_as_the_chosen_user()
    {
        PythonAvailable.Require(app);
        using var client = await app.AdminClientAsync();
        var id = await CreateAsync(app, client, "Test user", "ak_message(request.user.username)\nreturn request.user.is_authenticated and ak_is_group_member(request.user, name='authentik Admins')");
        var admin = await TestAsync(client, id, username: " akadmin ");
        Assert.Equal("true", Passing(admin));
        Assert.Equal(["akadmin"], admin.QuerySelectorAll("#test-messages li").Select(li => li.TextContent));
        Assert.Equal("akadmin", admin.QuerySelector("#policy-test-result dd")!.TextContent.Trim());

        var anonymous = await TestAsync(client, id);
        Assert.Equal("false", Passing(anonymous));
        Assert.Equal(["AnonymousUser"], anonymous.QuerySelectorAll("#test-messages li").Select(li => li.TextContent));
    }

    [Theory]
    [InlineData("{\"invitation_in_effect\": true,}", "Test.Context", "Line 1, column ")]
    [InlineData("invitation_in_effect: \"unclosed", "Test.Context", "Line 1, column 23: While scanning a quoted scalar")]
    [InlineData("- a\n- list", "Test.Context", "Line 1: expected an object (key: value pairs), found a list.")]
    [InlineData("", "Test.Username", "No user is named “nobody-at-all”.")]
    public async Task Bad_context_or_an_unknown_user_is_a_field_error_with_422_and_the_input_kept(string context, string field, string message)
    {
        using var client = await app.AdminClientAsync();
        var id = await CreateAsync(app, client, "Test bad input " + Guid.NewGuid().ToString("N")[..6]);
        var username = field == "Test.Username" ? "nobody-at-all" : "";
        var response = await client.PostFormAsync($"/if/admin/policies/{id}/", [new("Test.Username", username), new("Test.Context", context)], TestAction(id));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await TestClient.ParseAsync(response);
        Assert.StartsWith(message, page.QuerySelector($"[data-valmsg-for='{field}']")!.TextContent.Trim());
        Assert.Null(page.QuerySelector("#policy-test-result"));
        Assert.Equal(context, page.QuerySelector("textarea[name='Test.Context']")!.TextContent.TrimStart('\n'));
        Assert.Equal(username, page.QuerySelector("input[name='Test.Username']")!.GetAttribute("value"));
    }

    [SkippableFact]
    public async Task With_htmx_the_test_answers_only_the_panel()
    {
        PythonAvailable.Require(app);
        using var client = await app.AdminClientAsync();
        var id = await CreateAsync(app, client, "Test htmx", InvitedSnippet);
        var url = $"/if/admin/policies/{id}/";
        var form = await client.GetPageAsync(url);
        Assert.Equal(TestAction(id), form.QuerySelector("#policy-test form")!.GetAttribute("action"));
        Assert.Equal(TestAction(id), form.QuerySelector("#policy-test form")!.GetAttribute("hx-post"));
        Assert.Equal("#policy-test", form.QuerySelector("#policy-test form")!.GetAttribute("hx-target"));
        var token = TestClient.AntiforgeryToken(form, url, TestAction(id));

        async Task<(HttpResponseMessage, IHtmlDocument)> PostAsync(string context)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, TestAction(id))
            {
                Content = new FormUrlEncodedContent([new("Test.Username", ""), new("Test.Context", context), new("__RequestVerificationToken", token)]),
            };
            request.Headers.Add("HX-Request", "true");
            var response = await client.Http.SendAsync(request);
            return (response, await TestClient.ParseAsync(response));
        }

        var (ok, panel) = await PostAsync("invitation_in_effect: true");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("HX-Request", ok.Headers.Vary);
        Assert.Null(panel.QuerySelector("nav.sidenav"));
        Assert.Equal("policy-test", panel.Body!.FirstElementChild!.Id);
        Assert.Equal("true", Passing(panel));

        // htmx 2 swaps only 2xx answers, so its form errors come with 200.
        var (bad, errors) = await PostAsync("{oops");
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Null(errors.QuerySelector("nav.sidenav"));
        Assert.NotEmpty(errors.QuerySelector("[data-valmsg-for='Test.Context']")!.TextContent.Trim());
    }

    [SkippableFact]
    public async Task Messages_logs_and_errors_are_shown_as_text_never_as_markup()
    {
        PythonAvailable.Require(app);
        using var client = await app.AdminClientAsync();
        const string script = "<script>alert(1)</script>";
        var id = await CreateAsync(app, client, "Test <b>encoding</b>", $"""
            ak_message('{script}')
            ak_logger.info('<img src=x onerror=alert(2)>')
            raise ValueError('<i>bad</i>')
            """);
        var response = await client.PostFormAsync($"/if/admin/policies/{id}/", [new("Test.Username", ""), new("Test.Context", "")], TestAction(id));
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(script, html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.DoesNotContain("<i>bad</i>", html);
        Assert.DoesNotContain("<b>encoding</b>", html);
        var page = await TestClient.ParseAsync(response);
        Assert.Equal(script, page.QuerySelector("#test-messages li")!.TextContent);
        Assert.Contains("<img src=x onerror=alert(2)>", page.QuerySelector("#test-logs")!.TextContent);
        Assert.Contains("<i>bad</i>", page.QuerySelector("#test-error")!.TextContent);
        Assert.Contains("Test <b>encoding</b>", page.QuerySelector("h1")!.TextContent);
    }
}
