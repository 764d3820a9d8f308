using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Processes;
using Xunit.Abstractions;

namespace Enrollment.Tests.Cluster;

/// <summary>
/// Two published instances on one PostgreSQL database behind nginx round robin (<see cref="ClusterFixture"/>):
/// sessions, forms, flows, single use, email delivery, crashes and the database going away, each seen from outside.
/// A test that kills an instance or stops the database brings it back before it ends.
/// </summary>
public sealed class ClusterTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    private const string Password = "Cluster-Tulip-Glacier-58!";

    [SkippableFact]
    public async Task An_admin_signed_in_through_nginx_stays_signed_in_on_both_instances_and_forms_post_across_them()
    {
        cluster.Require();
        using var browser = cluster.Browser();
        await browser.LoginAsync("akadmin", EnrollmentApp.AdminPassword);

        var served = new List<AppProcess>();
        for (var i = 0; i < 6; i++)
        {
            var page = await browser.Http.GetAsync("/if/admin/groups/");
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"Request {i}: {(int)page.StatusCode} {page.Headers.Location}");
            Assert.Contains("akadmin", (await TestClient.ParseAsync(page)).QuerySelector(".whoami")!.TextContent);
            served.Add(cluster.ServedBy(page));
        }
        Assert.Equal(2, served.Distinct().Count());

        // A form from one instance posted to the other: the antiforgery token and the session cookie hold across them.
        var crossed = 0;
        for (var i = 0; i < 4; i++)
        {
            var form = await browser.Http.GetAsync("/if/admin/groups/new/");
            var formPage = await TestClient.ParseAsync(form);
            var name = $"made-across-{i}";
            var posted = await browser.Http.PostAsync("/if/admin/groups/new/", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Name"] = name, ["Input.ParentId"] = "", ["Input.Attributes"] = "", ["Input.IsSuperuser"] = "false",
                ["__RequestVerificationToken"] = TestClient.AntiforgeryToken(formPage, "/if/admin/groups/new/", "/if/admin/groups/new/"),
            }));
            posted.AssertRedirect("/if/admin/groups/");
            if (cluster.ServedBy(form) != cluster.ServedBy(posted)) crossed++;
            Assert.Single(await cluster.QueryAsync("select name from groups where name = @n", r => r.GetString(0), ("n", name)));
        }
        Assert.True(crossed > 0, "Every form was posted to the instance that showed it: nginx did not alternate.");
    }

    [SkippableFact]
    public async Task A_flow_completes_with_its_requests_alternating_between_the_instances()
    {
        cluster.Require();
        var invitation = await cluster.InviteAsync("alternating", singleUse: true);
        using var browser = cluster.Browser();
        var link = $"/if/flow/{ClusterFixture.Flow}/?itoken={invitation}";

        var first = await browser.Http.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var page = await TestClient.ParseAsync(first);
        // Whatever else reached nginx meanwhile, the submission goes to the other instance.
        while (cluster.ServedBy(await browser.Http.GetAsync("/-/health/live/")) != cluster.ServedBy(first)) { }
        var submitted = await browser.Http.PostAsync(link, Fields(page, "alternating"));
        Assert.NotEqual(cluster.ServedBy(first), cluster.ServedBy(submitted));
        submitted.AssertRedirect("/if/user/");

        Assert.Single(await cluster.QueryAsync("select id from users where user_name = 'alternating' and is_active", r => r.GetInt32(0)));
    }

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Twenty_concurrent_enrollments_through_both_instances_on_an_invitation_admitting_N_write_exactly_N_users(int maxUses)
    {
        cluster.Require();
        const int invitees = 20;
        var invitation = await cluster.InviteAsync($"contested{maxUses}", singleUse: maxUses == 1, maxUses: maxUses == 1 ? null : maxUses);
        var link = $"/if/flow/{ClusterFixture.Flow}/?itoken={invitation}";
        var browsers = Enumerable.Range(0, invitees).Select(_ => cluster.Browser()).ToList();
        try
        {
            var pages = new List<AngleSharp.Html.Dom.IHtmlDocument>();
            foreach (var b in browsers) pages.Add(await b.GetPageAsync(link));

            using var start = new SemaphoreSlim(0);
            var submissions = browsers.Select(async (b, i) =>
            {
                await start.WaitAsync();
                return await b.Http.PostAsync(link, Fields(pages[i], $"contender{maxUses}x{i:D2}"));
            }).ToList();
            start.Release(invitees);
            var answers = await Task.WhenAll(submissions);

            Assert.All(answers, a => Assert.True((int)a.StatusCode < 500, $"{(int)a.StatusCode} from {cluster.ServedBy(a).Port}"));
            Assert.Equal(2, answers.Select(cluster.ServedBy).Distinct().Count());
            var users = await cluster.QueryAsync("select user_name from users where user_name like @p", r => r.GetString(0), ("p", $"contender{maxUses}x%"));
            Assert.Equal(maxUses, users.Count);
            var winners = answers.Where(a => a.StatusCode == HttpStatusCode.Redirect && a.Headers.Location?.OriginalString == "/if/user/").ToList();
            Assert.Equal(maxUses, winners.Count);
            var uses = await cluster.QueryAsync("select uses from invitations where id = @id", r => r.GetInt32(0), ("id", invitation));
            Assert.Equal([maxUses], uses);
            Assert.Equal(maxUses, (await cluster.QueryAsync("select count(*) from invitation_uses where invitation_id = @id", r => r.GetInt64(0), ("id", invitation))).Single());
            output.WriteLine($"winners: {string.Join(", ", users)}; answers: {string.Join(", ", answers.GroupBy(a => (int)a.StatusCode).Select(g => $"{g.Key}×{g.Count()}"))}");
        }
        finally
        {
            browsers.ForEach(b => b.Dispose());
        }
    }

    [SkippableFact]
    public async Task Two_hundred_invitation_emails_sent_while_both_instances_run_job_workers_are_each_delivered_once()
    {
        cluster.Require();
        var (invitation, addresses) = await QueueEmailsAsync("twohundred", 200);
        await cluster.Smtp.WaitForRecipientsAsync(addresses, TimeSpan.FromMinutes(2));
        await Task.Delay(TimeSpan.FromSeconds(3)); // a duplicate sent late would show up now
        Assert.All(addresses, a => Assert.True(cluster.Smtp.PerRecipient[a] == 1, $"{a} got {cluster.Smtp.PerRecipient[a]} messages."));
        await AssertAllSentAsync(invitation, addresses.Count);
    }

    [SkippableFact]
    public async Task An_instance_killed_with_SIGKILL_mid_flow_and_mid_batch_leaves_the_other_to_finish_both()
    {
        cluster.Require();
        var victim = cluster.B;
        var invitation = await cluster.InviteAsync("interrupted", singleUse: true);
        using var browser = cluster.Browser();
        var link = $"/if/flow/{ClusterFixture.Flow}/?itoken={invitation}";
        // The invitee's plan is started by the instance about to die.
        HttpResponseMessage first;
        while (cluster.ServedBy(first = await browser.Http.GetAsync(link)) != victim) { }
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var page = await TestClient.ParseAsync(first);

        // Both instances are in the middle of sending (one worker each, so one connection each) when the kill lands.
        cluster.Smtp.HoldAfter(40);
        var (batch, addresses) = await QueueEmailsAsync("killed", 200);
        await cluster.Smtp.AllHolding.Task.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(2, cluster.Smtp.OpenConnections);
        try
        {
            victim.Kill();
            cluster.Smtp.Release();
            var sentBeforeKill = addresses.Count(cluster.Smtp.PerRecipient.ContainsKey);
            Assert.InRange(sentBeforeKill, 1, addresses.Count - 10);

            // The flow goes on through nginx, now on the survivor.
            var submitted = await browser.Http.PostAsync(link, Fields(page, "survivor"));
            submitted.AssertRedirect("/if/user/");
            Assert.Equal(cluster.A, cluster.ServedBy(submitted));
            Assert.Single(await cluster.QueryAsync("select id from users where user_name = 'survivor'", r => r.GetInt32(0)));

            // And so does the batch: the dead instance's job comes back after the invisibility timeout.
            await cluster.Smtp.WaitForRecipientsAsync(addresses, TimeSpan.FromMinutes(2));
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.All(addresses, a => Assert.True(cluster.Smtp.PerRecipient[a] == 1, $"{a} got {cluster.Smtp.PerRecipient[a]} messages."));
            await AssertAllSentAsync(batch, addresses.Count);
            output.WriteLine($"{sentBeforeKill} of {addresses.Count} accepted before the kill");
        }
        finally
        {
            cluster.Smtp.Release();
            await victim.StartAsync();
        }
    }

    [SkippableFact]
    public async Task Health_endpoints_answer_and_ready_follows_PostgreSQL_stopping_and_starting_without_a_restart()
    {
        cluster.Require();
        var pids = cluster.Instances.Select(i => i.Pid).ToList();
        foreach (var instance in cluster.Instances)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(instance, "/-/health/live/"));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(instance, "/-/health/ready/"));
        }

        cluster.Postgres.Stop();
        try
        {
            foreach (var instance in cluster.Instances)
            {
                await EventuallyAsync(instance, "/-/health/ready/", HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(60));
                Assert.Equal(HttpStatusCode.OK, await StatusAsync(instance, "/-/health/live/"));
            }
            // An invitee meanwhile reads "try again", not an error.
            using var browser = cluster.Browser();
            var page = await browser.Http.GetAsync($"/if/flow/{ClusterFixture.Flow}/");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.Contains("Try again", await page.Content.ReadAsStringAsync());
        }
        finally
        {
            await cluster.Postgres.StartAsync();
        }
        foreach (var instance in cluster.Instances)
            await EventuallyAsync(instance, "/-/health/ready/", HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        Assert.Equal(pids, cluster.Instances.Select(i => i.Pid).ToList()); // the same processes: nothing was restarted

        // And the instances serve flows again.
        var invitation = await cluster.InviteAsync("after-restart", singleUse: true);
        using var again = cluster.Browser();
        var link = $"/if/flow/{ClusterFixture.Flow}/?itoken={invitation}";
        var form = await again.GetPageAsync(link);
        (await again.Http.PostAsync(link, Fields(form, "afterrestart"))).AssertRedirect("/if/user/");
    }

    [SkippableFact]
    public async Task The_recurring_expiry_runs_once_per_schedule_across_both_instances()
    {
        cluster.Require();
        // Both instances run Hangfire's recurring-job scheduler on the shared storage; each minute must make one job.
        const string sql = "select createdat from hangfire.job where invocationdata::text like '%ExpireInvitationsJob%' order by createdat";
        var deadline = DateTime.UtcNow.AddMinutes(3);
        List<DateTime> created;
        while ((created = await cluster.QueryAsync(sql, r => r.GetDateTime(0))).Count < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The expiry job ran {created.Count} times in three minutes.");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        var perMinute = created.GroupBy(c => new DateTime(c.Year, c.Month, c.Day, c.Hour, c.Minute, 0)).ToList();
        output.WriteLine(string.Join(", ", perMinute.Select(g => $"{g.Key:HH:mm}×{g.Count()}")));
        Assert.All(perMinute, g => Assert.True(g.Count() == 1, $"{g.Count()} expiry jobs in the minute {g.Key:HH:mm}."));
        // And each ran to its end on one of them.
        var states = await cluster.QueryAsync("select statename from hangfire.job where invocationdata::text like '%ExpireInvitationsJob%' and statename is not null", r => r.GetString(0));
        Assert.Contains("Succeeded", states);
    }

    /// <summary>The default flow's prompt answered for <paramref name="username"/>.</summary>
    private static FormUrlEncodedContent Fields(AngleSharp.Html.Dom.IHtmlDocument page, string username) => new(new Dictionary<string, string>
    {
        ["username"] = username, ["name"] = "Cluster Person", ["email"] = $"{username}@example.com",
        ["password"] = Password, ["password_repeat"] = Password,
        ["stage"] = page.QuerySelector("input[name=stage]")?.GetAttribute("value")
            ?? throw new Xunit.Sdk.XunitException("The flow shows no stage: " + TestClient.Excerpt(page.DocumentElement.OuterHtml)),
        ["__RequestVerificationToken"] = TestClient.AntiforgeryToken(page),
    });

    /// <summary>An invitation emailed to <paramref name="count"/> new addresses through the API, as a script would.</summary>
    private async Task<(Guid Invitation, IReadOnlyCollection<string> Addresses)> QueueEmailsAsync(string prefix, int count)
    {
        var invitation = await cluster.InviteAsync(prefix, singleUse: false);
        var addresses = Enumerable.Range(0, count).Select(i => $"{prefix}{i:D3}@example.com").ToList();
        using var api = cluster.Api();
        var queued = await api.PostAsJsonAsync($"/api/v3/stages/invitation/invitations/{invitation}/send_email/",
            new JsonObject { ["email_addresses"] = new JsonArray([.. addresses.Select(a => JsonValue.Create(a))]) });
        Assert.True(queued.StatusCode == HttpStatusCode.NoContent, $"{(int)queued.StatusCode}: {await queued.Content.ReadAsStringAsync()}");
        return (invitation, addresses);
    }

    private async Task AssertAllSentAsync(Guid invitation, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<string> states;
        while ((states = await cluster.QueryAsync("select state from invitation_deliveries where invitation_id = @id", r => r.GetString(0), ("id", invitation)))
               .Any(s => s != "sent") && DateTime.UtcNow < deadline)
            await Task.Delay(250);
        Assert.Equal(count, states.Count);
        Assert.All(states, s => Assert.Equal("sent", s));
    }

    private static async Task<HttpStatusCode> StatusAsync(AppProcess instance, string path)
    {
        using var http = new HttpClient { BaseAddress = instance.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        return (await http.GetAsync(path)).StatusCode;
    }

    private static async Task EventuallyAsync(AppProcess instance, string path, HttpStatusCode expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        HttpStatusCode last;
        while ((last = await StatusAsync(instance, path)) != expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{path} on port {instance.Port} still answers {(int)last}, expected {(int)expected}");
            await Task.Delay(250);
        }
    }
}
