using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Features.Invitations.BulkInvitePages;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Invitations;

/// <summary><c>/if/admin/invitations/bulk/</c>: pasted or uploaded recipients become invitations and emails, every bad row reported, every bad request refused with nothing written.</summary>
[Collection(BulkInviteCollection.Name)]
public sealed class BulkInviteTests(Hosts.WithSmtp app)
{
    private sealed record Counts(int Runs, int Invitations, int Deliveries, int Created);

    private Task<Counts> CountsAsync() => app.DbAsync(async db => new Counts(
        await db.BulkInvitations.CountAsync(), await db.Invitations.CountAsync(), await db.InvitationDeliveries.CountAsync(),
        await db.Events.CountAsync(e => e.Action == "invitation_created")));

    private Task<List<Invitation>> InvitationsOfAsync(Guid runId) => app.DbAsync(db =>
        db.Invitations.AsNoTracking().Where(i => db.InvitationDeliveries.Any(d => d.InvitationId == i.Id && d.BulkInvitationId == runId))
            .OrderBy(i => i.Created).ThenBy(i => i.Name).ToListAsync());

    [Fact]
    public async Task Three_good_and_two_bad_pasted_addresses_make_three_invitations_and_report_the_two_rows()
    {
        var setup = await GuideFlowAsync(app, "bulk-paste");
        using var client = await app.AdminClientAsync();
        var before = await CountsAsync();

        var response = await PasteAsync(client, "bulk-paste",
            "ann@example.com\r\nnot-an-address\r\nbob@example.com, Bob Builder\r\n\r\nEve <eve@example.com>\r\ncid@example.com\r\n",
            ("Input.Expires", "2099-06-30T12:00"), ("Input.SingleUse", "true"));
        var runId = RunId(response);

        var after = await CountsAsync();
        Assert.Equal(before with { Runs = before.Runs + 1, Invitations = before.Invitations + 3, Deliveries = before.Deliveries + 3, Created = before.Created + 3 }, after);

        var run = await app.DbAsync(db => db.BulkInvitations.AsNoTracking().Include(b => b.CreatedBy).SingleAsync(b => b.Id == runId));
        Assert.Equal(3, run.Total);
        Assert.Equal(setup.Flow.Id, run.FlowId);
        Assert.Equal("akadmin", run.CreatedBy!.UserName);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{"row":2,"value":"not-an-address","error":"\"not-an-address\" is not a valid email address."},
             {"row":5,"value":"Eve <eve@example.com>","error":"\"Eve <eve@example.com>\" is not a valid email address: enter the bare address, like jane@example.com, without a name, quotes or angle brackets."}]
            """), run.Rejected), run.Rejected.ToJsonString());

        var invitations = await InvitationsOfAsync(runId);
        var prefix = $"bulk-{runId.ToString("N")[..8]}-";
        Assert.Equal([prefix + "1", prefix + "3", prefix + "6"], invitations.Select(i => i.Name).Order());
        Assert.All(invitations, i =>
        {
            Assert.Matches("^[-a-zA-Z0-9_]+$", i.Name);
            Assert.Equal(setup.Flow.Id, i.FlowId);
            Assert.True(i.SingleUse);
            Assert.Equal(new DateTime(2099, 6, 30, 12, 0, 0, DateTimeKind.Utc), i.Expires);
        });
        var bob = invitations.Single(i => i.Name == prefix + "3");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"email":"bob@example.com","name":"Bob Builder"}"""), bob.FixedData), bob.FixedData.ToJsonString());
        Assert.Equal(["ann@example.com", "bob@example.com", "cid@example.com"], invitations.Select(i => (string)i.FixedData["email"]!).Order());

        var deliveries = await app.DbAsync(db => db.InvitationDeliveries.AsNoTracking().Where(d => d.BulkInvitationId == runId).ToListAsync());
        Assert.All(deliveries, d =>
        {
            Assert.Equal(DeliveryState.Queued, d.State);
            Assert.Equal("http://localhost", d.BaseUrl);
            Assert.Equal(run.CreatedById, d.RequestedById);
            Assert.Equal((string)invitations.Single(i => i.Id == d.InvitationId).FixedData["email"]!, d.Email);
        });
        var events = await app.DbAsync(db => db.Events.AsNoTracking().Where(e => e.Action == "invitation_created").ToListAsync());
        Assert.Equal(3, events.Count(e => (string?)e.Context["bulk_invitation"] == runId.ToString()));

        var page = await client.GetPageAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("3 invitations created", page.QuerySelector(".flash")!.TextContent);
        Assert.Contains("2 rows were left out", page.QuerySelector(".flash")!.TextContent);
        var rejected = page.QuerySelectorAll("#rejected-rows tbody tr").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList()).ToList();
        Assert.Equal(["2", "not-an-address", "\"not-an-address\" is not a valid email address."], rejected[0]);
        Assert.Equal(["5", "Eve <eve@example.com>", "\"Eve <eve@example.com>\" is not a valid email address: enter the bare address, like jane@example.com, without a name, quotes or angle brackets."], rejected[1]);
        Assert.Equal("3", page.QuerySelector("#bulk-total")!.TextContent);
        Assert.Equal("2", page.QuerySelector("#bulk-rejected")!.TextContent);
        Assert.Equal($"/if/admin/invitations/?q={prefix}", page.QuerySelector($"a[href^='/if/admin/invitations/?q=']")!.GetAttribute("href"));
        var list = await client.GetPageAsync($"/if/admin/invitations/?q={prefix}");
        Assert.Equal(3, list.QuerySelectorAll("#invitation-rows tbody tr").Length);
    }

    [Fact]
    public async Task A_csv_upload_puts_name_and_further_columns_into_fixed_data_with_dots_nesting()
    {
        await GuideFlowAsync(app, "bulk-csv");
        using var client = await app.AdminClientAsync();
        var csv = "\uFEFFEmail,Name,username,attributes.department,attributes.office.city\r\n"
                  + "jane@example.com,\"Doe, Jane\",jdoe,Engineering,\"Berlin\"\r\n"
                  + "\"john@example.com\",John,,\"Sales \"\"East\"\"\",\r\n"
                  + "john@example.com,John again,,,\r\n"
                  + "nobody,No One,,,\r\n";
        var runId = RunId(await UploadAsync(client, "bulk-csv", Encoding.UTF8.GetBytes(csv), ("Input.SingleUse", "false")));

        var invitations = await InvitationsOfAsync(runId);
        var jane = invitations.Single(i => (string)i.FixedData["email"]! == "jane@example.com");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"email":"jane@example.com","name":"Doe, Jane","username":"jdoe","attributes":{"department":"Engineering","office":{"city":"Berlin"}}}
            """), jane.FixedData), jane.FixedData.ToJsonString());
        var john = invitations.Single(i => (string)i.FixedData["email"]! == "john@example.com");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"email":"john@example.com","name":"John","attributes":{"department":"Sales \"East\""}}"""), john.FixedData),
            john.FixedData.ToJsonString());
        Assert.All(invitations, i => Assert.False(i.SingleUse));
        Assert.EndsWith("-2", jane.Name);
        Assert.EndsWith("-3", john.Name);

        var run = await app.DbAsync(db => db.BulkInvitations.AsNoTracking().SingleAsync(b => b.Id == runId));
        Assert.Equal([4, 5], run.Rejected.Select(r => (int)r!["row"]!));
        Assert.Equal("The address is already in row 3; it gets one invitation.", (string?)run.Rejected[0]!["error"]);
    }

    [Fact]
    public async Task A_csv_without_an_email_column_is_refused_with_a_clear_message_and_nothing_is_written()
    {
        await GuideFlowAsync(app, "bulk-noemail");
        using var client = await app.AdminClientAsync();
        var before = await CountsAsync();
        var page = await RefusedAsync(await UploadAsync(client, "bulk-noemail", "mail,name\njane@example.com,Jane\n"u8.ToArray()));
        Assert.Contains("The header has no “email” column (it has: mail, name). The first row must name the columns, one of them email.", TestClient.Errors(page));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Repeated_addresses_get_one_invitation_and_the_repeats_are_reported()
    {
        await GuideFlowAsync(app, "bulk-dupes");
        using var client = await app.AdminClientAsync();
        var runId = RunId(await PasteAsync(client, "bulk-dupes", "dup@example.com\nDUP@example.com\nother@example.com\ndup@example.com,Again\n"));
        Assert.Equal(2, (await InvitationsOfAsync(runId)).Count);
        var page = await client.GetPageAsync($"{Url}{runId}/");
        var rows = page.QuerySelectorAll("#rejected-rows tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Contains("The address is already in row 1; it gets one invitation.", r));
    }

    [Fact]
    public async Task Ten_thousand_recipients_are_accepted_in_one_request()
    {
        await GuideFlowAsync(app, "bulk-10k");
        using var client = await app.AdminClientAsync();
        var before = await CountsAsync();
        var jobsBefore = app.EnqueuedJobs();
        var addresses = string.Join("\r\n", Enumerable.Range(1, 10_000).Select(i => $"person{i}@example.com,Person {i}"));

        var runId = RunId(await PasteAsync(client, "bulk-10k", addresses));

        var after = await CountsAsync();
        Assert.Equal(before with { Runs = before.Runs + 1, Invitations = before.Invitations + 10_000, Deliveries = before.Deliveries + 10_000, Created = before.Created + 10_000 }, after);
        Assert.Equal(10_000, await app.DbAsync(db => db.InvitationDeliveries.CountAsync(d => d.BulkInvitationId == runId && d.State == DeliveryState.Queued)));
        Assert.Equal(10_000, await app.DbAsync(db => db.Invitations.Select(i => i.Name).Where(n => n.StartsWith("bulk-" + runId.ToString("N").Substring(0, 8))).Distinct().CountAsync()));
        // Batches of 100 recipients per job.
        Assert.Equal(100, app.EnqueuedJobs() - jobsBefore);

        var page = await client.GetPageAsync($"{Url}{runId}/");
        Assert.Equal("10,000", page.QuerySelector("[data-count=queued]")!.TextContent);
        Assert.Equal("0", page.QuerySelector("[data-count=sent]")!.TextContent);
        Assert.Equal("0", page.QuerySelector("#bulk-progress-bar")!.GetAttribute("value"));
        Assert.Equal("10000", page.QuerySelector("#bulk-progress-bar")!.GetAttribute("max"));
    }

    [Fact]
    public async Task The_emails_arrive_and_a_link_walks_the_flow_to_a_user_with_the_prefilled_address()
    {
        await GuideFlowAsync(app, "bulk-walk");
        using var admin = await app.AdminClientAsync();
        var runId = RunId(await PasteAsync(admin, "bulk-walk", "walker@example.com,Walker Person\nrunner@example.com,Runner Person\n"));
        await app.RunDeliveriesAsync(runId);

        var messages = app.Smtp.Messages.Where(m => m.To.Mailboxes.Single().Address is "walker@example.com" or "runner@example.com").ToList();
        Assert.Equal(2, messages.Count);
        var message = messages.Single(m => m.To.Mailboxes.Single().Address == "walker@example.com");
        Assert.Equal("You have been invited to localhost", message.Subject);
        var invitation = (await InvitationsOfAsync(runId)).Single(i => (string)i.FixedData["email"]! == "walker@example.com");
        var link = Regex.Match(message.TextBody, @"http://localhost/if/flow/bulk-walk/\?itoken=[0-9a-f-]{36}").Value;
        Assert.Equal($"http://localhost/if/flow/bulk-walk/?itoken={invitation.Id}", link);

        using var invitee = app.NewClient();
        var path = new Uri(link).PathAndQuery;
        var page = await invitee.GetPageAsync(path);
        Assert.Equal("walker@example.com", InputValue(page, "email"));
        Assert.Equal("Walker Person", InputValue(page, "name"));
        var posted = await invitee.SubmitAsync(path, page, Answers("walker", name: InputValue(page, "name"), email: InputValue(page, "email")));
        posted.AssertRedirect("/if/");

        var user = await UserAsync(app, "walker");
        Assert.NotNull(user);
        Assert.Equal("walker@example.com", user!.Email);
        Assert.Equal("Walker Person", user.Name);
        Assert.Equal(1, await UsesAsync(app, invitation.Id));
        var ids = (await InvitationsOfAsync(runId)).Select(i => i.Id.ToString()).ToHashSet();
        var sent = await app.DbAsync(db => db.Events.AsNoTracking().Where(e => e.Action == "invitation_sent").ToListAsync());
        Assert.Equal(2, sent.Count(e => ids.Contains((string)e.Context["model"]!["pk"]!) && (string?)e.User["username"] == "akadmin"));
    }

    public static TheoryData<string, (string, string)[], string> BadForms => new()
    {
        { "no flow", [("Input.Addresses", "a@example.com")], "Choose the enrollment flow the invitations are for." },
        { "unknown flow", [("Input.FlowSlug", "no-such-flow"), ("Input.Addresses", "a@example.com")], "That flow does not exist." },
        { "not an enrollment flow", [("Input.FlowSlug", "bulk-authn"), ("Input.Addresses", "a@example.com")], "Choose a flow with the designation “enrollment”." },
        { "expiry in the past", [("Input.FlowSlug", "bulk-bad"), ("Input.Addresses", "a@example.com"), ("Input.Expires", "2001-01-01T00:00")], "This date is in the past; the invitation would be expired at once." },
        { "expiry unreadable", [("Input.FlowSlug", "bulk-bad"), ("Input.Addresses", "a@example.com"), ("Input.Expires", "next tuesday")], "Enter a date and time like 2026-12-31T17:00, or leave it empty." },
        { "empty input", [("Input.FlowSlug", "bulk-bad"), ("Input.Addresses", " \r\n ")], "Paste at least one email address, or upload a CSV file." },
        { "only bad rows", [("Input.FlowSlug", "bulk-bad"), ("Input.Addresses", "nope\nalso nope\n")], "All 2 rows were left out (see below), so no invitation was created." },
        { "header but no rows", [("Input.FlowSlug", "bulk-bad"), ("Input.Addresses", "email,name\n")], "The list has no recipients: add a row per recipient under the header." },
    };

    [Theory]
    [MemberData(nameof(BadForms))]
    public async Task Bad_input_is_refused_with_a_clear_message_and_nothing_is_written(string _, (string, string)[] fields, string message)
    {
        if (!await app.DbAsync(db => db.Flows.AnyAsync(f => f.Slug == "bulk-bad")))
        {
            await GuideFlowAsync(app, "bulk-bad");
            await app.FlowAsync("bulk-authn", FlowDesignation.Authentication);
        }
        using var client = await app.AdminClientAsync();
        var before = await CountsAsync();
        var page = await RefusedAsync(await client.PostFormAsync(Url, fields));
        Assert.Contains(message, TestClient.Errors(page));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task When_every_row_is_bad_the_form_lists_them_encoded()
    {
        await GuideFlowAsync(app, "bulk-allbad");
        using var client = await app.AdminClientAsync();
        var page = await RefusedAsync(await PasteAsync(client, "bulk-allbad", "<script>alert(1)</script>\n<img src=x onerror=alert(2)>@example.com\n"));
        Assert.Empty(page.QuerySelectorAll("main script, main img"));
        var rows = page.QuerySelectorAll("#rejected-rows tbody tr").Select(r => r.QuerySelectorAll("td")[1].TextContent).ToList();
        Assert.Equal(["<script>alert(1)</script>", "<img src=x onerror=alert(2)>@example.com"], rows);
        // What was pasted comes back in the textarea to be fixed.
        Assert.Contains("<script>alert(1)</script>", page.QuerySelector("textarea[name='Input.Addresses']")!.TextContent);
    }

    [Fact]
    public async Task Htmx_gets_the_refused_form_with_200_so_it_swaps_it_in()
    {
        using var client = await app.AdminClientAsync();
        var form = await client.GetPageAsync(Url);
        var request = new HttpRequestMessage(HttpMethod.Post, Url)
        {
            Content = new FormUrlEncodedContent([new("Input.Addresses", "a@example.com"), new("__RequestVerificationToken", TestClient.AntiforgeryToken(form, Url, Url))]),
        };
        request.Headers.Add("HX-Request", "true");
        request.Headers.Add("HX-Boosted", "true");
        var response = await client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Choose the enrollment flow the invitations are for.", TestClient.Errors(await TestClient.ParseAsync(response)));
    }

    [Fact]
    public async Task Pasting_and_uploading_at_once_is_refused()
    {
        await GuideFlowAsync(app, "bulk-both");
        using var client = await app.AdminClientAsync();
        var before = await CountsAsync();
        var page = await RefusedAsync(await UploadAsync(client, "bulk-both", "email\na@example.com\n"u8.ToArray(), ("Input.Addresses", "b@example.com")));
        Assert.Contains("Paste addresses or upload a CSV file, not both.", TestClient.Errors(page));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Text_over_10_MB_is_refused_with_413_and_a_message()
    {
        await GuideFlowAsync(app, "bulk-big");
        using var client = await app.AdminClientAsync();
        var before = await CountsAsync();
        var line = "somebody.with.a.long.address@example.com\n";
        var text = string.Concat(Enumerable.Repeat(line, 10 * 1024 * 1024 / line.Length + 10));
        var page = await RefusedAsync(await UploadAsync(client, "bulk-big", Encoding.UTF8.GetBytes("email\n" + text)), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("The list is larger than 10 MB; split it into several runs of at most 10 MB and 50,000 rows.", TestClient.Errors(page));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task A_request_over_the_request_limit_is_a_413_with_a_message_not_a_500()
    {
        using var client = await app.AdminClientAsync();
        var huge = new byte[32 * 1024 * 1024];
        Array.Fill(huge, (byte)'a');
        var response = await UploadAsync(client, "bulk-big", huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("The list is larger than 10 MB", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task More_than_50000_rows_are_refused_with_413_and_a_message()
    {
        await GuideFlowAsync(app, "bulk-rows");
        using var client = await app.AdminClientAsync();
        var before = await CountsAsync();
        var text = string.Join("\n", Enumerable.Range(0, 50_001).Select(i => $"r{i}@example.com"));
        var page = await RefusedAsync(await PasteAsync(client, "bulk-rows", text), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("The list has more than 50,000 rows; split it into several runs of at most 50,000 rows.", TestClient.Errors(page));
        Assert.Equal("", page.QuerySelector("textarea[name='Input.Addresses']")!.TextContent.Trim());
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task The_invitations_list_links_to_bulk_invite_and_the_form_lists_recent_runs()
    {
        await GuideFlowAsync(app, "bulk-recent");
        using var client = await app.AdminClientAsync();
        var list = await client.GetPageAsync("/if/admin/invitations/");
        Assert.NotNull(list.QuerySelector($"a[href='{Url}']"));
        var runId = RunId(await PasteAsync(client, "bulk-recent", "recent@example.com\n"));
        var form = await client.GetPageAsync(Url);
        Assert.NotNull(form.QuerySelector($"table a[href='{Url}{runId}/']"));
        Assert.NotNull(form.QuerySelector("form[enctype='multipart/form-data'] input[type=file][name='Input.CsvFile']"));
        Assert.Equal("checked", form.QuerySelector("input[name='Input.SingleUse'][type=checkbox]")!.GetAttribute("checked"));
    }

    [Fact]
    public async Task Only_superusers_reach_bulk_invite()
    {
        using var anonymous = app.NewClient();
        var response = await anonymous.Http.GetAsync(Url);
        response.AssertRedirect("http://localhost/if/login/");
        var post = await anonymous.Http.PostAsync(Url, new FormUrlEncodedContent([new("Input.Addresses", "a@example.com")]));
        Assert.True(post.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.BadRequest, ((int)post.StatusCode).ToString());
    }
}
