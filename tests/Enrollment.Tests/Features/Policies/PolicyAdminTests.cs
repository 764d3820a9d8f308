using System.Net;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Infrastructure.Python;
using Enrollment.Tests.Kit;
using static Enrollment.Tests.Kit.FlowKit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Features.Policies;

/// <summary>Admin › Policies: create, edit, delete expression policies, the syntax check on save, and the Test action.</summary>
public sealed class PolicyAdminTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private const string InvitedSnippet = "return context.get('invitation_in_effect', False)";
    private const string DepartmentSnippet = "invitation = context.get('invitation')\nreturn invitation.fixed_data.get('department') == 'Engineering'";
    private const string EmailSnippet = "prompt_data = context.get('prompt_data', {})\nreturn prompt_data.get('email', '').endswith('@example.com')";

    private PythonExpressions Python => app.Services.GetRequiredService<PythonExpressions>();

    private static (string, string)[] Fields(string name, string expression, bool logging = false) =>
        [("Input.Name", name), ("Input.Expression", expression), ("Input.ExecutionLogging", logging ? "true" : "false")];

    private async Task<Guid> CreateAsync(TestClient client, string name, string expression = "return True", bool logging = false)
    {
        var response = await client.PostFormAsync("/if/admin/policies/new/", Fields(name, expression, logging));
        response.AssertRedirect("/if/admin/policies/");
        var id = await app.DbAsync(db => db.Policies.Where(p => p.Name == name).Select(p => p.Id).SingleAsync());
        Assert.Equal($"/if/admin/policies/{id}/", response.Headers.Location!.OriginalString);
        return id;
    }

    private static async Task<IReadOnlyList<string>> ErrorsOf(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        Assert.Equal(expected, response.StatusCode);
        return TestClient.Errors(await TestClient.ParseAsync(response));
    }

    private static string TestAction(Guid id) => $"/if/admin/policies/{id}/?handler=Test";

    /// <summary>Runs the Test action as a person with JavaScript off would: the whole page comes back.</summary>
    private static async Task<IHtmlDocument> TestAsync(TestClient client, Guid id, string context = "", string username = "")
    {
        var response = await client.PostFormAsync($"/if/admin/policies/{id}/", [new("Test.Username", username), new("Test.Context", context)], TestAction(id));
        var page = await TestClient.ParseAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {string.Join(" | ", TestClient.Errors(page))}");
        Assert.NotNull(page.QuerySelector("#policy-test-result"));
        return page;
    }

    private static string Passing(IHtmlDocument page) => page.QuerySelector("#test-passing")!.TextContent.Trim();

    private Task<List<string>> EventsAboutAsync(Guid id) => app.DbAsync(async db =>
        (await db.Events.AsNoTracking().OrderBy(e => e.Created).ToListAsync())
            .Where(e => (string?)e.Context["model"]?["pk"] == id.ToString())
            .Select(e => $"{e.Action} {(string?)e.Context["model"]!["app"]}.{(string?)e.Context["model"]!["model_name"]}")
            .ToList());

    [Fact]
    public async Task Admin_creates_a_policy_that_is_listed_and_offered_for_flow_bindings_and_prompt_validation()
    {
        using var client = await app.AdminClientAsync();
        Assert.Contains("/if/admin/policies/", (await client.GetPageAsync("/if/admin/")).QuerySelectorAll("nav.sidenav a").Select(a => a.GetAttribute("href")));

        var id = await CreateAsync(client, "Only invited users", InvitedSnippet, logging: true);
        var policy = await app.DbAsync(db => db.Policies.OfType<ExpressionPolicy>().SingleAsync(p => p.Id == id));
        Assert.Equal(InvitedSnippet, policy.Expression);
        Assert.True(policy.ExecutionLogging);
        Assert.Equal(["model_created authentik_policies_expression.expressionpolicy"], await EventsAboutAsync(id));

        var details = await client.GetPageAsync($"/if/admin/policies/{id}/");
        Assert.Equal(InvitedSnippet, details.QuerySelector("#policy-expression")!.TextContent);
        Assert.Contains("Not used", details.QuerySelector("#policy-usage")!.TextContent);

        var rows = (await client.GetPageAsync("/if/admin/policies/?q=only+invited")).QuerySelector("#policy-rows")!;
        var row = rows.QuerySelectorAll("tbody tr").Single();
        Assert.Equal(["Only invited users", "Expression policy", "0", "Not used"], row.QuerySelectorAll("td").Take(4).Select(td => td.TextContent.Trim()));
        Assert.Contains("No policy matches", (await client.GetPageAsync("/if/admin/policies/?q=zzz-nothing")).QuerySelector("#policy-rows")!.TextContent);

        var flow = await app.FlowAsync("policy-offered");
        var offered = (await client.GetPageAsync($"/if/admin/flows/{flow.Slug}/policies/"))
            .QuerySelectorAll("select[name='Input.PolicyId'] option").Select(o => o.GetAttribute("value"));
        Assert.Contains(offered, v => Guid.TryParse(v, out var g) && g == id);
        var stageForm = await client.GetPageAsync("/if/admin/stages/new/prompt/");
        Assert.NotNull(stageForm.QuerySelector($"input[name='Input.ValidationPolicies'][value='{id}']"));
    }

    [Fact]
    public async Task The_list_shows_bindings_and_where_each_policy_is_used_and_pages()
    {
        using var client = await app.AdminClientAsync();
        var id = await CreateAsync(client, "Listed used policy");
        await app.DbAsync(async db =>
        {
            var flow = new Flow { Name = "Listed flow", Slug = "listed-flow" };
            var stage = new PromptStage { Name = "listed-prompts", ValidationPolicies = [await db.Policies.SingleAsync(p => p.Id == id)] };
            var binding = new FlowStageBinding { Flow = flow, Stage = stage, Order = 10 };
            db.AddRange(flow, stage, binding, new PolicyBinding { Flow = flow, PolicyId = id }, new PolicyBinding { FlowStageBinding = binding, PolicyId = id, Order = 5 });
            for (var i = 0; i < 21; i++) db.Add(new ExpressionPolicy { Name = $"zz paging {i:00}", Expression = "return True" });
            await db.SaveChangesAsync();
        });

        var row = (await client.GetPageAsync("/if/admin/policies/?q=listed+used")).QuerySelectorAll("#policy-rows tbody tr").Single();
        var cells = row.QuerySelectorAll("td").Select(td => td.TextContent).ToList();
        Assert.Equal("2", cells[2].Trim());
        Assert.Contains("Listed flow", cells[3]);
        Assert.Contains("Listed flow › listed-prompts", cells[3]);
        Assert.Contains("prompt stage validation", cells[3]);
        Assert.Contains(row.QuerySelectorAll("a").Select(a => a.GetAttribute("href")), h => h == "/if/admin/flows/listed-flow/policies/");

        var first = await client.GetPageAsync("/if/admin/policies/?q=zz+paging");
        Assert.Equal(20, first.QuerySelectorAll("#policy-rows tbody tr").Length);
        var second = await client.GetPageAsync("/if/admin/policies/?q=zz+paging&page=2");
        Assert.Equal("zz paging 20", second.QuerySelector("#policy-rows tbody td")!.TextContent.Trim());
    }

    [Fact]
    public async Task Edit_changes_name_expression_and_logging_and_records_model_updated()
    {
        using var client = await app.AdminClientAsync();
        var id = await CreateAsync(client, "Before edit", "return True", logging: true);
        var form = await client.GetPageAsync($"/if/admin/policies/{id}/edit/");
        Assert.Equal("Before edit", form.QuerySelector("input[name='Input.Name']")!.GetAttribute("value"));
        Assert.Equal("return True", form.QuerySelector("textarea[name='Input.Expression']")!.TextContent.Trim());

        // Browsers post CRLF; the policy keeps LF.
        (await client.PostFormAsync($"/if/admin/policies/{id}/edit/", Fields("  After edit ", "x = 1\r\nreturn x == 1")))
            .AssertRedirect($"/if/admin/policies/{id}/");
        var policy = await app.DbAsync(db => db.Policies.OfType<ExpressionPolicy>().SingleAsync(p => p.Id == id));
        Assert.Equal(("After edit", "x = 1\nreturn x == 1", false), (policy.Name, policy.Expression, policy.ExecutionLogging));
        Assert.Equal(["model_created authentik_policies_expression.expressionpolicy", "model_updated authentik_policies_expression.expressionpolicy"],
            await EventsAboutAsync(id));
    }

    [SkippableFact]
    public async Task A_syntax_error_names_its_line_saves_nothing_and_keeps_the_text()
    {
        PythonAvailable.Require(Python);
        using var client = await app.AdminClientAsync();
        const string broken = "x = 1\nreturn (x ==\n";
        var response = await client.PostFormAsync("/if/admin/policies/new/", Fields("Broken on create", broken));
        var page = await TestClient.ParseAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("Line 2: ", page.QuerySelector("[data-valmsg-for='Input.Expression']")!.TextContent.Trim());
        Assert.Equal(broken, page.QuerySelector("textarea[name='Input.Expression']")!.TextContent.TrimStart('\n'));
        Assert.Equal("Broken on create", page.QuerySelector("input[name='Input.Name']")!.GetAttribute("value"));
        Assert.False(await app.DbAsync(db => db.Policies.AnyAsync(p => p.Name == "Broken on create")));

        var id = await CreateAsync(client, "Broken on edit");
        var errors = await ErrorsOf(await client.PostFormAsync($"/if/admin/policies/{id}/edit/", Fields("Renamed on edit", "if True:\nreturn 1")));
        // Python's "after 'if' statement on line N" counts lines of the expression, as the "Line 2" does.
        Assert.Contains(errors, e => e.StartsWith("Line 2: ") && e.Contains("indent") && e.EndsWith("on line 1"));
        var stored = await app.DbAsync(db => db.Policies.OfType<ExpressionPolicy>().SingleAsync(p => p.Id == id));
        Assert.Equal(("Broken on edit", "return True"), (stored.Name, stored.Expression));
        Assert.DoesNotContain(await EventsAboutAsync(id), e => e.StartsWith("model_updated"));
    }

    [Fact]
    public async Task Duplicate_or_empty_names_and_empty_expressions_are_form_errors()
    {
        using var client = await app.AdminClientAsync();
        await CreateAsync(client, "Taken name");
        var duplicate = await ErrorsOf(await client.PostFormAsync("/if/admin/policies/new/", Fields(" Taken name ", "return True")));
        Assert.Contains("A policy with this name already exists.", duplicate);
        Assert.Equal(1, await app.DbAsync(db => db.Policies.CountAsync(p => p.Name == "Taken name")));

        var other = await CreateAsync(client, "Other name");
        var renamed = await ErrorsOf(await client.PostFormAsync($"/if/admin/policies/{other}/edit/", Fields("Taken name", "return True")));
        Assert.Contains("A policy with this name already exists.", renamed);

        var empty = await ErrorsOf(await client.PostFormAsync("/if/admin/policies/new/", Fields("   ", "  \n ")));
        Assert.Contains("Enter a name.", empty);
        Assert.Contains("Enter an expression.", empty);
        var tooLong = await ErrorsOf(await client.PostFormAsync("/if/admin/policies/new/", Fields(new string('n', 201), "return True")));
        Assert.Contains("Use at most 200 characters.", tooLong);
    }

    [Fact]
    public async Task Deleting_shows_where_the_policy_is_used_then_removes_its_bindings_and_validation_links()
    {
        using var client = await app.AdminClientAsync();
        var id = await CreateAsync(client, "Doomed policy");
        var keep = await CreateAsync(client, "Surviving policy");
        var (flowBinding, stageBinding, stageId) = await app.DbAsync(async db =>
        {
            var policies = await db.Policies.Where(p => p.Id == id || p.Id == keep).ToListAsync();
            var flow = new Flow { Name = "Delete usage flow", Slug = "delete-usage-flow" };
            var stage = new PromptStage { Name = "delete-usage-prompts", ValidationPolicies = policies };
            var binding = new FlowStageBinding { Flow = flow, Stage = stage, Order = 10 };
            var onFlow = new PolicyBinding { Flow = flow, PolicyId = id };
            var onStage = new PolicyBinding { FlowStageBinding = binding, PolicyId = id };
            db.AddRange(flow, stage, binding, onFlow, onStage, new PolicyBinding { Flow = flow, PolicyId = keep, Order = 1 });
            await db.SaveChangesAsync();
            return (onFlow.Id, onStage.Id, stage.Id);
        });

        var confirm = await client.GetPageAsync($"/if/admin/policies/{id}/delete/");
        var usage = confirm.QuerySelector("#policy-usage")!.TextContent;
        Assert.Contains("2 binding(s)", usage);
        Assert.Contains("Delete usage flow › delete-usage-prompts", usage);
        Assert.Contains("delete-usage-prompts", usage);
        Assert.Contains("prompt stage validation", usage);

        (await client.PostFormAsync($"/if/admin/policies/{id}/delete/")).AssertRedirect("/if/admin/policies/");
        Assert.False(await app.DbAsync(db => db.Policies.AnyAsync(p => p.Id == id)));
        Assert.False(await app.DbAsync(db => db.PolicyBindings.AnyAsync(b => b.Id == flowBinding || b.Id == stageBinding)));
        var validation = await app.DbAsync(db => db.Stages.OfType<PromptStage>().Where(s => s.Id == stageId).SelectMany(s => s.ValidationPolicies.Select(p => p.Id)).ToListAsync());
        Assert.Equal([keep], validation);
        Assert.True(await app.DbAsync(db => db.PolicyBindings.AnyAsync(b => b.PolicyId == keep)));
        Assert.Contains("model_deleted authentik_policies_expression.expressionpolicy", await EventsAboutAsync(id));
    }

    [Fact]
    public async Task Unknown_policy_ids_are_404()
    {
        using var client = await app.AdminClientAsync();
        var id = Guid.NewGuid();
        await client.GetPageAsync($"/if/admin/policies/{id}/", HttpStatusCode.NotFound);
        await client.GetPageAsync($"/if/admin/policies/{id}/edit/", HttpStatusCode.NotFound);
        await client.GetPageAsync($"/if/admin/policies/{id}/delete/", HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostFormAsync("/if/admin/policies/", [], $"/if/admin/policies/{id}/delete/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostFormAsync("/if/admin/policies/",
            Fields("Ghost", "return True").Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)), $"/if/admin/policies/{id}/edit/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostFormAsync("/if/admin/policies/", [new("Test.Context", "")], TestAction(id))).StatusCode);
    }

    [Fact]
    public async Task Non_superusers_are_refused_the_policies_pages()
    {
        var id = await app.DbAsync(async db =>
        {
            var p = new ExpressionPolicy { Name = "Guarded policy", Expression = "return True" };
            db.Add(p);
            await db.SaveChangesAsync();
            return p.Id;
        });
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<UserManager<User>>()
                .CreateAsync(new User { UserName = "policy-plain", Name = "Plain", Email = "policy-plain@example.com" }, "Plain-Passw0rd!");
            Assert.True(result.Succeeded);
        }
        using var client = app.NewClient();
        await client.LoginAsync("policy-plain", "Plain-Passw0rd!");
        foreach (var url in new[] { "/if/admin/policies/", "/if/admin/policies/new/", $"/if/admin/policies/{id}/", $"/if/admin/policies/{id}/edit/", $"/if/admin/policies/{id}/delete/" })
            (await client.Http.GetAsync(url)).AssertRedirect("http://localhost/error/403/");
        var post = await client.Http.PostAsync(TestAction(id), new FormUrlEncodedContent([new("Test.Context", "")]));
        Assert.True(post.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden, post.StatusCode.ToString());
        Assert.True(await app.DbAsync(db => db.Policies.AnyAsync(p => p.Id == id)));
    }

    // ---- the Test action ----

    [SkippableFact]
    public async Task The_documented_invitation_snippet_passes_only_with_an_invitation_in_effect()
    {
        PythonAvailable.Require(Python);
        using var client = await app.AdminClientAsync();
        var id = await CreateAsync(client, "Test invited", InvitedSnippet);
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
        PythonAvailable.Require(Python);
        using var client = await app.AdminClientAsync();
        var setup = await GuideFlowAsync(app, "policy-test-department");
        var engineering = await setup.InviteAsync(app, "dept-engineering", fixedData: new JsonObject { ["department"] = "Engineering" });
        var sales = await setup.InviteAsync(app, "dept-sales", fixedData: new JsonObject { ["department"] = "Sales" });
        var id = await CreateAsync(client, "Test department", DepartmentSnippet);

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
        PythonAvailable.Require(Python);
        using var client = await app.AdminClientAsync();
        var id = await CreateAsync(client, "Test email", EmailSnippet);
        Assert.Equal("true", Passing(await TestAsync(client, id, "prompt_data:\n  email: jane@example.com")));
        Assert.Equal("false", Passing(await TestAsync(client, id, """{"prompt_data": {"email": "jane@evil.test"}}""")));
        Assert.Equal("false", Passing(await TestAsync(client, id)));
    }

    [SkippableFact]
    public async Task Messages_and_log_lines_are_shown()
    {
        PythonAvailable.Require(Python);
        using var client = await app.AdminClientAsync();
        var id = await CreateAsync(client, "Test output", """
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
        PythonAvailable.Require(Python);
        using var client = await app.AdminClientAsync();
        var id = await CreateAsync(client, "Test exception", "ak_message('before')\nvalues = {}\nreturn values['missing']");
        var page = await TestAsync(client, id);
        Assert.Equal("false", Passing(page));
        Assert.Equal("Line 3: KeyError: 'missing'", page.QuerySelector("#test-error")!.TextContent.Trim());
    }

    [SkippableFact]
    public async Task The_test_runs_as_the_chosen_user()
    {
        PythonAvailable.Require(Python);
        using var client = await app.AdminClientAsync();
        var id = await CreateAsync(client, "Test user", "ak_message(request.user.username)\nreturn request.user.is_authenticated and ak_is_group_member(request.user, name='authentik Admins')");
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
        var id = await CreateAsync(client, "Test bad input " + Guid.NewGuid().ToString("N")[..6]);
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
        PythonAvailable.Require(Python);
        using var client = await app.AdminClientAsync();
        var id = await CreateAsync(client, "Test htmx", InvitedSnippet);
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
        PythonAvailable.Require(Python);
        using var client = await app.AdminClientAsync();
        const string script = "<script>alert(1)</script>";
        var id = await CreateAsync(client, "Test <b>encoding</b>", $"""
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

    [SkippableFact]
    public async Task With_python_available_the_policies_pages_show_no_warning()
    {
        PythonAvailable.Require(Python);
        using var client = await app.AdminClientAsync();
        Assert.Null((await client.GetPageAsync("/if/admin/policies/")).QuerySelector("#python-warning"));
        Assert.Null((await client.GetPageAsync("/if/admin/policies/new/")).QuerySelector("#python-warning"));
    }
}

/// <summary>A wrong <c>Python:Library</c>: the policies pages say so and how to fix it; saving still works.</summary>
public sealed class PolicyAdminWithoutPythonTests(Hosts.WithoutPython app) : IClassFixture<Hosts.WithoutPython>
{
    [Fact]
    public async Task The_policies_pages_warn_with_the_reason_and_the_fix()
    {
        using var client = await app.AdminClientAsync();
        var id = await app.DbAsync(async db =>
        {
            var p = new ExpressionPolicy { Name = "No python policy", Expression = "return True" };
            db.Add(p);
            await db.SaveChangesAsync();
            return p.Id;
        });
        foreach (var url in new[] { "/if/admin/policies/", "/if/admin/policies/new/", $"/if/admin/policies/{id}/", $"/if/admin/policies/{id}/edit/" })
        {
            var warning = (await client.GetPageAsync(url)).QuerySelector("#python-warning")?.TextContent;
            Assert.True(warning is not null, $"{url} shows no warning");
            Assert.Contains("Python runtime not available: /nonexistent/libpython3.11.so does not exist", warning);
            Assert.Contains("Python:Library", warning);
            Assert.Contains("apt-get install libpython3.11", warning);
        }
    }

    [Fact]
    public async Task Saving_works_without_a_syntax_check_and_the_test_says_python_is_missing()
    {
        using var client = await app.AdminClientAsync();
        var response = await client.PostFormAsync("/if/admin/policies/new/",
            ("Input.Name", "Saved without python"), ("Input.Expression", "return (unchecked"), ("Input.ExecutionLogging", "false"));
        response.AssertRedirect("/if/admin/policies/");
        var id = await app.DbAsync(db => db.Policies.Where(p => p.Name == "Saved without python").Select(p => p.Id).SingleAsync());

        var test = await client.PostFormAsync($"/if/admin/policies/{id}/", [new("Test.Username", ""), new("Test.Context", "a: 1")], $"/if/admin/policies/{id}/?handler=Test");
        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        var page = await TestClient.ParseAsync(test);
        Assert.Equal("false", page.QuerySelector("#test-passing")!.TextContent.Trim());
        Assert.StartsWith("Python runtime not available", page.QuerySelector("#test-error")!.TextContent.Trim());
    }
}
