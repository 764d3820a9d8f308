using System.Net;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.FlowExecution;

/// <summary>
/// Each server process keeps flow definitions in memory (FlowDefinitions) and drops them when the database's
/// definition stamp moves. The stamp is moved by triggers, so every way of changing a definition counts: EF, plain
/// SQL (as an admin's script or another process would), a second server.
/// </summary>
public sealed class DefinitionCacheTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task A_prompt_changed_by_plain_sql_shows_on_the_next_step()
    {
        var setup = await GuideFlowAsync(app, "cache-sql");
        var invitation = await setup.InviteAsync(app, "cache-sql");
        using var client = app.ClientWithCookies(new CookieContainer());
        var page = await client.GetPageAsync(setup.Link(invitation));
        Assert.Equal("Name", LabelOf(page, "name"));
        Assert.Equal("Name", LabelOf(await client.GetPageAsync(FlowUrl("cache-sql")), "name")); // now served from the cache

        var nameId = setup.Prompts.Fields.Single(p => p.FieldKey == "name").Id;
        await app.DbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE prompts SET label = 'Full name' WHERE id = {nameId}"));

        Assert.Equal("Full name", LabelOf(await client.GetPageAsync(FlowUrl("cache-sql")), "name"));
    }

    [Fact]
    public async Task A_field_added_and_a_stage_unbound_on_a_second_server_apply_on_the_first_at_once()
    {
        var setup = await GuideFlowAsync(app, "cache-two");
        var invitation = await setup.InviteAsync(app, "cache-two");
        using var client = app.ClientWithCookies(new CookieContainer());
        var page = await client.GetPageAsync(setup.Link(invitation));
        Assert.Null(page.QuerySelector("input[name=nickname]"));

        await using var second = new Hosts.SharingDatabaseWith(app);
        await second.DbAsync(async db =>
        {
            var stage = await db.Stages.OfType<PromptStage>().Include(s => s.Fields).SingleAsync(s => s.Id == setup.Prompts.Id);
            var nickname = new Prompt { Name = "cache-two-nickname", FieldKey = "nickname", Label = "Nickname", Type = PromptType.Text, Order = 5 };
            db.Prompts.Add(nickname);
            stage.Fields.Add(nickname);
            await db.SaveChangesAsync();
        });
        page = await client.GetPageAsync(FlowUrl("cache-two"));
        Assert.NotNull(page.QuerySelector("input[name=nickname]"));

        // Unbinding the login stage on the second server: the first finishes the flow without signing in.
        await second.DbAsync(db => db.FlowStageBindings.Where(b => b.StageId == setup.Login.Id).ExecuteDeleteAsync());
        (await client.SubmitAsync(FlowUrl("cache-two"), page, [.. Answers("cache-two-user"), ("nickname", "Nick")])).AssertRedirect("/if/user/");
        var logins = await app.DbAsync(db => db.Events.Where(e => e.Action == "login").Select(e => e.Context).ToListAsync());
        Assert.DoesNotContain(logins, c => (string?)c["flow"] == "cache-two");
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("/if/user/")).StatusCode); // not signed in: sent to the login page
    }

    [Fact]
    public async Task Every_definition_table_moves_the_stamp_and_other_tables_do_not()
    {
        var flow = new Flow { Name = "stamp", Slug = "stamp-flow" };
        var prompt = new Prompt { Name = "stamp-prompt", FieldKey = "stamp", Label = "Stamp", Type = PromptType.Text };
        var stage = new PromptStage { Name = "stamp-stage" };
        var policy = new ExpressionPolicy { Name = "stamp-policy", Expression = "return True" };
        var binding = new FlowStageBinding { FlowId = flow.Id, StageId = stage.Id, Order = 1 };

        await Moves("flows", db => db.Flows.Add(flow));
        await Moves("prompts", db => db.Prompts.Add(prompt));
        await Moves("stages", db => db.Stages.Add(stage));
        await Moves("policies", db => db.Policies.Add(policy));
        await Moves("flow_stage_bindings", db => db.FlowStageBindings.Add(binding));
        await Moves("policy_bindings", db => db.PolicyBindings.Add(new PolicyBinding { FlowStageBindingId = binding.Id, PolicyId = policy.Id }));
        await Moves("prompt_stage_fields", async db => (await db.Stages.OfType<PromptStage>().Include(s => s.Fields).SingleAsync(s => s.Id == stage.Id)).Fields.Add(await db.Prompts.FindAsync(prompt.Id) ?? throw new InvalidOperationException()));
        await Moves("prompt_stage_validation_policies", async db => (await db.Stages.OfType<PromptStage>().Include(s => s.ValidationPolicies).SingleAsync(s => s.Id == stage.Id)).ValidationPolicies.Add(await db.Policies.FindAsync(policy.Id) ?? throw new InvalidOperationException()));
        await Moves("flows (update)", async db => (await db.Flows.SingleAsync(f => f.Id == flow.Id)).Title = "Changed");
        await Moves("flows (delete, cascading)", async db => db.Flows.Remove(await db.Flows.SingleAsync(f => f.Id == flow.Id)));

        var before = await StampAsync();
        await app.DbAsync(async db =>
        {
            db.Invitations.Add(new Invitation { Name = "stamp-invitation" });
            db.Groups.Add(new Group { Name = "stamp-group" });
            await db.SaveChangesAsync();
        });
        Assert.Equal(before, await StampAsync());
    }

    private async Task Moves(string what, Func<AppDbContext, Task> change)
    {
        var before = await StampAsync();
        await app.DbAsync(async db => { await change(db); await db.SaveChangesAsync(); });
        Assert.True(await StampAsync() > before, $"writing {what} did not move the definition stamp");
    }

    private Task Moves(string what, Action<AppDbContext> change) => Moves(what, db => { change(db); return Task.CompletedTask; });

    private Task<long> StampAsync() => app.DbAsync(db => db.DefinitionStamps.Select(s => s.Version).SingleAsync());

    private static string? LabelOf(AngleSharp.Html.Dom.IHtmlDocument page, string field) =>
        page.QuerySelector($"label[for='{page.QuerySelector($"[name={field}]")?.Id}']")?.TextContent.Trim().TrimEnd('*').Trim();
}
