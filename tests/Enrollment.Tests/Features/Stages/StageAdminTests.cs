using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Stages;

public sealed class StageAdminTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task Admin_creates_edits_and_deletes_an_invitation_stage()
    {
        using var client = await app.AdminClientAsync();
        var created = await client.PostFormAsync("/if/admin/stages/new/invitation/",
            ("Input.Name", "invite-check"), ("Input.ContinueFlowWithoutInvitation", "true"), ("Input.ContinueFlowWithoutInvitation", "false"));
        created.AssertRedirect("/if/admin/stages/");
        var stage = await app.DbAsync(db => db.Stages.OfType<InvitationStage>().SingleAsync(s => s.Name == "invite-check"));
        Assert.True(stage.ContinueFlowWithoutInvitation);

        // Unticking a box posts only the hidden "false", as a browser does.
        var edit = await client.GetPageAsync($"/if/admin/stages/{stage.Id}/edit/");
        Assert.NotNull(edit.QuerySelector("input[type=hidden][name='Input.ContinueFlowWithoutInvitation'][value=false]"));
        (await client.PostFormAsync($"/if/admin/stages/{stage.Id}/edit/",
            ("Input.Name", "invite-check-renamed"), ("Input.ContinueFlowWithoutInvitation", "false"))).AssertRedirect("/if/admin/stages/");
        stage = await app.DbAsync(db => db.Stages.OfType<InvitationStage>().SingleAsync(s => s.Id == stage.Id));
        Assert.Equal("invite-check-renamed", stage.Name);
        Assert.False(stage.ContinueFlowWithoutInvitation);

        (await client.PostFormAsync($"/if/admin/stages/{stage.Id}/delete/")).AssertRedirect("/if/admin/stages/");
        Assert.False(await app.DbAsync(db => db.Stages.AnyAsync(s => s.Id == stage.Id)));
        Assert.True(await app.DbAsync(db => db.Events.AnyAsync(e => e.Action == "model_deleted")));
    }

    [Fact]
    public async Task Admin_creates_a_prompt_stage_with_fields_and_policies_then_changes_them()
    {
        var (email, username, policy) = (NewPrompt("ps-email", "email"), NewPrompt("ps-username", "username"), new ExpressionPolicy { Name = "ps-policy", Expression = "return True" });
        await app.DbAsync(db => { db.AddRange(email, username, policy); return db.SaveChangesAsync(); });
        using var client = await app.AdminClientAsync();

        var form = await client.GetPageAsync("/if/admin/stages/new/prompt/");
        Assert.Contains("ps-email", form.QuerySelector($"label[for='Input_Fields_{email.Id}']")!.TextContent);
        Assert.NotNull(form.QuerySelector($"input[name='Input.ValidationPolicies'][value='{policy.Id}']"));

        (await client.PostFormAsync("/if/admin/stages/new/prompt/", ("Input.Name", "ps-stage"),
            ("Input.Fields", email.Id.ToString()), ("Input.Fields", username.Id.ToString()), ("Input.ValidationPolicies", policy.Id.ToString())))
            .AssertRedirect("/if/admin/stages/");
        var stage = await LoadPromptStage("ps-stage");
        Assert.Equal(["ps-email", "ps-username"], stage.Fields.Select(f => f.Name).Order());
        Assert.Equal("ps-policy", Assert.Single(stage.ValidationPolicies).Name);

        var edit = await client.GetPageAsync($"/if/admin/stages/{stage.Id}/edit/");
        Assert.True(edit.QuerySelector($"input[name='Input.Fields'][value='{email.Id}']")!.HasAttribute("checked"));

        (await client.PostFormAsync($"/if/admin/stages/{stage.Id}/edit/", ("Input.Name", "ps-stage"), ("Input.Fields", username.Id.ToString())))
            .AssertRedirect("/if/admin/stages/");
        stage = await LoadPromptStage("ps-stage");
        Assert.Equal("ps-username", Assert.Single(stage.Fields).Name);
        Assert.Empty(stage.ValidationPolicies);
    }

    [Fact]
    public async Task Unknown_prompt_or_policy_ids_are_form_errors_and_nothing_is_saved()
    {
        var prompt = NewPrompt("ps-known", "known");
        await app.DbAsync(db => { db.Add(prompt); return db.SaveChangesAsync(); });
        using var client = await app.AdminClientAsync();
        var response = await client.PostFormAsync("/if/admin/stages/new/prompt/", ("Input.Name", "ps-ghost"),
            ("Input.Fields", prompt.Id.ToString()), ("Input.Fields", Guid.NewGuid().ToString()), ("Input.ValidationPolicies", Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestClient.ParseAsync(response);
        Assert.Contains("A chosen prompt does not exist", page.QuerySelector("[data-valmsg-for='Input.Fields']")!.TextContent);
        Assert.Contains("A chosen policy does not exist", page.QuerySelector("[data-valmsg-for='Input.ValidationPolicies']")!.TextContent);
        // The form comes back with the admin's choices still ticked.
        Assert.True(page.QuerySelector($"input[name='Input.Fields'][value='{prompt.Id}']")!.HasAttribute("checked"));
        Assert.False(await app.DbAsync(db => db.Stages.AnyAsync(s => s.Name == "ps-ghost")));
    }

    [Fact]
    public async Task Admin_creates_and_edits_a_user_write_stage_with_a_group()
    {
        var group = new Group { Name = "uw-group" };
        await app.DbAsync(db => { db.Add(group); return db.SaveChangesAsync(); });
        using var client = await app.AdminClientAsync();
        var form = await client.GetPageAsync("/if/admin/stages/new/user_write/");
        Assert.NotNull(form.QuerySelector($"select[name='Input.CreateUsersGroup'] option[value='{group.Id}']"));

        (await client.PostFormAsync("/if/admin/stages/new/user_write/", ("Input.Name", "uw-stage"),
            ("Input.UserCreationMode", "always_create"), ("Input.CreateUsersAsInactive", "true"), ("Input.CreateUsersGroup", group.Id.ToString()),
            ("Input.UserType", "internal"), ("Input.UserPathTemplate", "users/partners"))).AssertRedirect("/if/admin/stages/");
        var stage = await app.DbAsync(db => db.Stages.OfType<UserWriteStage>().SingleAsync(s => s.Name == "uw-stage"));
        Assert.Equal((UserCreationMode.AlwaysCreate, true, group.Id, UserType.Internal, "users/partners"),
            (stage.UserCreationMode, stage.CreateUsersAsInactive, stage.CreateUsersGroupId, stage.UserType, stage.UserPathTemplate));

        (await client.PostFormAsync($"/if/admin/stages/{stage.Id}/edit/", ("Input.Name", "uw-stage"), ("Input.UserCreationMode", "never_create"),
            ("Input.CreateUsersAsInactive", "false"), ("Input.CreateUsersGroup", ""), ("Input.UserType", "external"), ("Input.UserPathTemplate", "")))
            .AssertRedirect("/if/admin/stages/");
        stage = await app.DbAsync(db => db.Stages.OfType<UserWriteStage>().SingleAsync(s => s.Id == stage.Id));
        Assert.Equal((UserCreationMode.NeverCreate, false, (Guid?)null, UserType.External, ""),
            (stage.UserCreationMode, stage.CreateUsersAsInactive, stage.CreateUsersGroupId, stage.UserType, stage.UserPathTemplate));
    }

    [Fact]
    public async Task Unknown_group_or_user_type_is_a_form_error()
    {
        using var client = await app.AdminClientAsync();
        var response = await client.PostFormAsync("/if/admin/stages/new/user_write/", ("Input.Name", "uw-bad"),
            ("Input.UserCreationMode", "create_when_required"), ("Input.CreateUsersGroup", Guid.NewGuid().ToString()), ("Input.UserType", "robot"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var errors = TestClient.Errors(await TestClient.ParseAsync(response));
        Assert.Contains(errors, e => e.StartsWith("Choose one of: internal"));
        Assert.False(await app.DbAsync(db => db.Stages.AnyAsync(s => s.Name == "uw-bad")));

        response = await client.PostFormAsync("/if/admin/stages/new/user_write/", ("Input.Name", "uw-bad"),
            ("Input.UserCreationMode", "create_when_required"), ("Input.CreateUsersGroup", Guid.NewGuid().ToString()), ("Input.UserType", "external"));
        Assert.Contains("This group does not exist (any more). Choose another one.", TestClient.Errors(await TestClient.ParseAsync(response)));
        Assert.False(await app.DbAsync(db => db.Stages.AnyAsync(s => s.Name == "uw-bad")));
    }

    [Fact]
    public async Task Admin_creates_a_user_login_stage_with_timedeltas()
    {
        using var client = await app.AdminClientAsync();
        (await client.PostFormAsync("/if/admin/stages/new/user_login/", ("Input.Name", "ul-stage"),
            ("Input.SessionDuration", "days=1; hours=2"), ("Input.RememberMeOffset", "weeks=4"), ("Input.TerminateOtherSessions", "true")))
            .AssertRedirect("/if/admin/stages/");
        var stage = await app.DbAsync(db => db.Stages.OfType<UserLoginStage>().SingleAsync(s => s.Name == "ul-stage"));
        Assert.Equal(("days=1;hours=2", "weeks=4", true), (stage.SessionDuration, stage.RememberMeOffset, stage.TerminateOtherSessions));
    }

    [Theory]
    [InlineData("8 hours")]
    [InlineData("hours=")]
    [InlineData("hours=8;")]
    [InlineData("years=1")]
    [InlineData("hours=8,minutes=5")]
    public async Task A_malformed_timedelta_is_explained_next_to_the_field_and_nothing_is_saved(string duration)
    {
        using var client = await app.AdminClientAsync();
        var name = "ul-bad-" + Guid.NewGuid().ToString("N")[..6];
        var response = await client.PostFormAsync("/if/admin/stages/new/user_login/", ("Input.Name", name),
            ("Input.SessionDuration", duration), ("Input.RememberMeOffset", "seconds=0"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestClient.ParseAsync(response);
        Assert.StartsWith("Use unit=number pairs joined by ';'", page.QuerySelector("[data-valmsg-for='Input.SessionDuration']")!.TextContent);
        Assert.Equal(duration, page.QuerySelector("input[name='Input.SessionDuration']")!.GetAttribute("value"));
        Assert.False(await app.DbAsync(db => db.Stages.AnyAsync(s => s.Name == name)));
    }

    [Fact]
    public async Task Duplicate_or_missing_names_are_form_errors_and_nothing_is_saved()
    {
        using var client = await app.AdminClientAsync();
        (await client.PostFormAsync("/if/admin/stages/new/invitation/", ("Input.Name", "dup-stage"))).AssertRedirect("/if/admin/stages/");

        // Names are unique across kinds: one table, one namespace.
        var again = await client.PostFormAsync("/if/admin/stages/new/user_login/", ("Input.Name", "dup-stage"),
            ("Input.SessionDuration", "seconds=0"), ("Input.RememberMeOffset", "seconds=0"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("A stage with this name already exists.",
            (await TestClient.ParseAsync(again)).QuerySelector("[data-valmsg-for='Input.Name']")!.TextContent.Trim());
        Assert.Equal(1, await app.DbAsync(db => db.Stages.CountAsync(s => s.Name == "dup-stage")));

        var other = await client.PostFormAsync("/if/admin/stages/new/invitation/", ("Input.Name", "dup-stage-2"));
        other.AssertRedirect("/if/admin/stages/");
        var id = await app.DbAsync(db => db.Stages.Where(s => s.Name == "dup-stage-2").Select(s => s.Id).SingleAsync());
        var rename = await client.PostFormAsync($"/if/admin/stages/{id}/edit/", ("Input.Name", "dup-stage"));
        Assert.Contains("A stage with this name already exists.", TestClient.Errors(await TestClient.ParseAsync(rename)));

        var before = await app.DbAsync(db => db.Stages.CountAsync());
        var missing = await client.PostFormAsync("/if/admin/stages/new/prompt/", ("Input.Name", ""));
        Assert.Equal(HttpStatusCode.OK, missing.StatusCode);
        Assert.Contains("Enter a name.", TestClient.Errors(await TestClient.ParseAsync(missing)));
        Assert.Equal(before, await app.DbAsync(db => db.Stages.CountAsync()));
    }

    [Fact]
    public async Task Unknown_kind_or_stage_is_a_404()
    {
        using var client = await app.AdminClientAsync();
        await client.GetPageAsync("/if/admin/stages/new/password/", HttpStatusCode.NotFound);
        await client.GetPageAsync($"/if/admin/stages/{Guid.NewGuid()}/edit/", HttpStatusCode.NotFound);
        await client.GetPageAsync($"/if/admin/stages/{Guid.NewGuid()}/delete/", HttpStatusCode.NotFound);
        var post = await client.PostFormAsync("/if/admin/stages/new/invitation/", [new("Input.Name", "x")], "/if/admin/stages/new/password/");
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        post = await client.PostFormAsync("/if/admin/stages/", [], $"/if/admin/stages/{Guid.NewGuid()}/delete/");
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        post = await client.PostFormAsync("/if/admin/stages/", [new("Input.Name", "x")], $"/if/admin/stages/{Guid.NewGuid()}/edit/");
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }

    [Fact]
    public async Task List_shows_kinds_and_bound_flows_and_deleting_a_bound_stage_removes_its_bindings()
    {
        var stage = new UserLoginStage { Name = "bound-login" };
        var flow = new Flow { Name = "Bound flow", Slug = "bound-flow" };
        var policy = new ExpressionPolicy { Name = "bound-policy" };
        var binding = new FlowStageBinding { Flow = flow, Stage = stage, Order = 10 };
        await app.DbAsync(db =>
        {
            db.AddRange(stage, flow, policy, binding, new PolicyBinding { FlowStageBinding = binding, Policy = policy });
            return db.SaveChangesAsync();
        });
        using var client = await app.AdminClientAsync();

        var list = await client.GetPageAsync("/if/admin/stages/?q=bound-log");
        var row = Assert.Single(list.QuerySelectorAll("#stage-rows tbody tr"));
        Assert.Contains("User login stage", row.TextContent);
        Assert.Equal("/if/admin/flows/bound-flow/", row.QuerySelector("td.flows a")!.GetAttribute("href"));
        Assert.NotNull(list.QuerySelector("details a[href='/if/admin/stages/new/user_write/']"));

        var confirm = await client.GetPageAsync($"/if/admin/stages/{stage.Id}/delete/");
        Assert.Contains("Bound flow", confirm.QuerySelector("main ul")!.TextContent);

        (await client.PostFormAsync($"/if/admin/stages/{stage.Id}/delete/")).AssertRedirect("/if/admin/stages/");
        Assert.False(await app.DbAsync(db => db.FlowStageBindings.AnyAsync(b => b.Id == binding.Id)));
        Assert.False(await app.DbAsync(db => db.PolicyBindings.AnyAsync(p => p.FlowStageBindingId == binding.Id)));
        Assert.True(await app.DbAsync(db => db.Flows.AnyAsync(f => f.Id == flow.Id)));
        Assert.True(await app.DbAsync(db => db.Policies.AnyAsync(p => p.Id == policy.Id)));
    }

    [Fact]
    public async Task Search_without_htmx_gets_the_page_and_with_htmx_only_the_rows()
    {
        using var client = await app.AdminClientAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/if/admin/stages/?q=zzz-nothing");
        request.Headers.Add("HX-Request", "true");
        var fragment = await (await client.Http.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.StartsWith("<div id=\"stage-rows\">", fragment.Trim());
        Assert.Contains("No stage matches", fragment);
        var page = await client.GetPageAsync("/if/admin/stages/?q=zzz-nothing");
        Assert.NotNull(page.QuerySelector("form[role=search] input[name=q]"));
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_the_login_page()
    {
        using var client = app.NewClient();
        (await client.Http.GetAsync("/if/admin/stages/")).AssertRedirect("http://localhost/if/login/?next=%2Fif%2Fadmin%2Fstages%2F");
        (await client.Http.GetAsync("/if/admin/stages/new/prompt/")).AssertRedirect("http://localhost/if/login/");
    }

    // Domain.Prompt: in this namespace, Prompt names the folder of the prompt stage's tests.
    private static Domain.Prompt NewPrompt(string name, string fieldKey) => new() { Name = name, FieldKey = fieldKey, Label = name };

    private Task<PromptStage> LoadPromptStage(string name) => app.DbAsync(db =>
        db.Stages.OfType<PromptStage>().Include(s => s.Fields).Include(s => s.ValidationPolicies).AsNoTracking().SingleAsync(s => s.Name == name));
}
