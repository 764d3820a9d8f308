using System.Net;
using Enrollment.Domain;
using Enrollment.Infrastructure.Email;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Kit.EmailKit;
using static Enrollment.Tests.Kit.InvitationPages;

namespace Enrollment.Tests.Features.Invitations;

/// <summary>
/// The "Send by email" form and the deliveries table, on an app without a Hangfire server: what is queued stays
/// queued, so these tests see exactly what a request writes and enqueues — or, for every bad input, that it writes
/// and enqueues nothing.
/// </summary>
[Collection(SendInvitationCollection.Name)]
public sealed class SendInvitationTests(Hosts.Default app)
{
    /// <summary>No delivery written for the invitation, and no job added since <paramref name="jobsBefore"/> (tests of a class run one at a time).</summary>
    private async Task AssertNothingQueuedAsync(Guid invitationId, int jobsBefore)
    {
        Assert.Empty(await app.DeliveriesAsync(invitationId));
        Assert.Equal(jobsBefore, app.EnqueuedDeliveryJobs().Count);
    }

    private static IReadOnlyList<string> ErrorsOf(AngleSharp.Html.Dom.IHtmlDocument page, string field) =>
        page.QuerySelectorAll($"#send-{field}-errors li").Select(e => e.TextContent.Trim()).ToList();

    [Fact]
    public async Task The_invitation_page_has_the_send_form_and_a_post_queues_one_delivery_per_address_then_redirects()
    {
        var invitation = await SendableInvitationAsync(app, "send-ok");
        using var admin = await app.AdminClientAsync();
        var page = await admin.GetPageAsync(DetailsUrl(invitation.Id));
        var form = page.QuerySelector($"#send-invitation form[method=post][action='{SendUrl(invitation.Id)}']");
        Assert.NotNull(form);
        Assert.Equal(SendUrl(invitation.Id), form!.GetAttribute("hx-post"));
        Assert.NotNull(form.QuerySelector("textarea[name='Input.Addresses']"));
        Assert.NotNull(form.QuerySelector("input[name='Input.Cc']"));
        Assert.NotNull(form.QuerySelector("input[name='Input.Bcc']"));
        Assert.NotNull(form.QuerySelector("input[name='Input.Template']"));
        Assert.Contains("No email has been sent for this invitation yet.", page.QuerySelector("#deliveries")!.TextContent);

        var admin1 = await app.DbAsync(db => db.Users.SingleAsync(u => u.UserName == "akadmin"));
        var response = await admin.SendFromPageAsync(invitation.Id, "ann@example.com\r\nbob@example.com, carl@example.com;\n\nANN@example.com",
            cc: "boss@example.com", bcc: "archive@example.com, audit@example.com", template: "email/invitation.html");
        response.AssertRedirect(DetailsUrl(invitation.Id));

        var deliveries = await app.DeliveriesAsync(invitation.Id);
        Assert.Equal(["ann@example.com", "bob@example.com", "carl@example.com"], deliveries.Select(d => d.Email)); // the same address twice is sent once
        Assert.All(deliveries, d =>
        {
            Assert.Equal(DeliveryState.Queued, d.State);
            Assert.Equal(0, d.Attempts);
            Assert.Equal(["boss@example.com"], d.Cc.Select(n => (string)n!));
            Assert.Equal(["archive@example.com", "audit@example.com"], d.Bcc.Select(n => (string)n!));
            Assert.Null(d.Template); // the default
            Assert.Equal("http://localhost", d.BaseUrl);
            Assert.Equal(admin1.Id, d.RequestedById);
        });
        // Handed to the jobs after the commit, in one batch.
        var batch = Assert.Single(app.EnqueuedDeliveryJobs(), b => b.Contains(deliveries[0].Id));
        Assert.Equal(deliveries.Select(d => d.Id).Order(), batch.Order());

        var after = await admin.GetPageAsync(DetailsUrl(invitation.Id));
        Assert.Equal("3 invitation emails are queued, one per address; their states show below.", after.QuerySelector(".flash")!.TextContent.Trim());
        foreach (var d in deliveries)
        {
            var row = Row(after, d.Email);
            Assert.Equal("Queued", State(row));
            Assert.Contains("cc boss@example.com", row.TextContent);
            Assert.Contains("bcc archive@example.com", row.TextContent);
            Assert.Null(row.QuerySelector("form")); // queued: nothing to resend yet
        }
        // While anything is on its way the table reloads itself (htmx); without JavaScript there is a Refresh link.
        var table = after.QuerySelector("#deliveries")!;
        Assert.Equal("deliveries-changed from:body, every 2s", table.GetAttribute("hx-trigger"));
        Assert.Equal(DeliveriesUrl(invitation.Id), table.GetAttribute("hx-get"));
        Assert.Matches($@"^{DetailsUrl(invitation.Id)}\?at=[0-9TZ:.-]+#deliveries$", table.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Every_bad_address_is_named_the_input_is_kept_and_nothing_is_queued()
    {
        var invitation = await SendableInvitationAsync(app, "send-bad");
        using var admin = await app.AdminClientAsync();
        var jobs = app.EnqueuedDeliveryJobs().Count;
        const string typed = "good@example.com\nnot-an-address\nEve <eve@example.com>\na b@example.com\n@example.com";
        var response = await admin.SendFromPageAsync(invitation.Id, typed, cc: "boss@", bcc: "fine@example.com", template: "email/invitation.html");
        var page = await TestClient.ParseAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Equal(
        [
            "\"not-an-address\" is not a valid email address.",
            "\"Eve <eve@example.com>\" is not a valid email address: enter the bare address, like jane@example.com, without a name, quotes or angle brackets.",
            "\"a b@example.com\" is not a valid email address: enter one address at a time, without spaces, commas or semicolons.",
            "\"@example.com\" is not a valid email address.",
        ], ErrorsOf(page, "addresses"));
        Assert.Equal(["\"boss@\" is not a valid email address."], ErrorsOf(page, "cc"));
        Assert.Empty(ErrorsOf(page, "bcc"));
        // What was typed is still there to correct.
        Assert.Equal(typed, page.QuerySelector("textarea[name='Input.Addresses']")!.TextContent.Replace("\r\n", "\n").TrimStart('\n'));
        Assert.Equal("boss@", page.QuerySelector("input[name='Input.Cc']")!.GetAttribute("value"));
        Assert.Equal("fine@example.com", page.QuerySelector("input[name='Input.Bcc']")!.GetAttribute("value"));
        Assert.Equal("send-addresses-hint send-addresses-errors", page.QuerySelector("textarea")!.GetAttribute("aria-describedby")!.Trim());
        await AssertNothingQueuedAsync(invitation.Id, jobs);
    }

    [Theory]
    [InlineData("", "", "Enter at least one email address.")]
    [InlineData(" , ;\n ", "", "Enter at least one email address.")]
    [InlineData("ok@example.com", "../../appsettings.json", "Enter a template name like email/invitation.html (a file name under email/, ending in .html).")]
    [InlineData("ok@example.com", "email/invitation.html\r\nX-Injected: 1", "Enter a template name like email/invitation.html (a file name under email/, ending in .html).")]
    [InlineData("ok@example.com", "email/missing.html", "There is no email template \"email/missing.html\".")]
    public async Task Empty_lists_and_bad_templates_are_refused_with_a_message(string addresses, string template, string message)
    {
        var invitation = await SendableInvitationAsync(app, $"send-empty-{Guid.NewGuid():N}"[..24]);
        using var admin = await app.AdminClientAsync();
        var jobs = app.EnqueuedDeliveryJobs().Count;
        var page = await TestClient.ParseAsync(await admin.SendFromPageAsync(invitation.Id, addresses, template: template));
        Assert.Contains(message, TestClient.Errors(page));
        await AssertNothingQueuedAsync(invitation.Id, jobs);
    }

    [Fact]
    public async Task More_than_a_thousand_addresses_at_once_are_refused()
    {
        var invitation = await SendableInvitationAsync(app, "send-many");
        using var admin = await app.AdminClientAsync();
        var jobs = app.EnqueuedDeliveryJobs().Count;
        var addresses = string.Join("\n", Enumerable.Range(0, 1001).Select(i => $"user{i}@example.com"));
        var page = await TestClient.ParseAsync(await admin.SendFromPageAsync(invitation.Id, addresses));
        Assert.Equal(["At most 1000 addresses at a time; 1001 were given."], ErrorsOf(page, "addresses"));
        await AssertNothingQueuedAsync(invitation.Id, jobs);
    }

    public static TheoryData<string, string, string, string> Injections => new()
    {
        // A pasted header after a line break is a line of its own, and no address.
        { "to-crlf", "victim-check@example.com\r\nBcc: victim@example.com", "", "\"Bcc: victim@example.com\" is not a valid email address: enter one address at a time, without spaces, commas or semicolons." },
        { "to-lf", "victim-check@example.com\nX-Injected: yes", "", "\"X-Injected: yes\" is not a valid email address: enter one address at a time, without spaces, commas or semicolons." },
        { "cc-crlf", "ok@example.com", "boss@example.com\r\nBcc: victim@example.com", "\"Bcc: victim@example.com\" is not a valid email address: enter one address at a time, without spaces, commas or semicolons." },
        { "display-name", "\"Eve\" <eve@example.com>", "", "\"\"Eve\" <eve@example.com>\" is not a valid email address: enter the bare address, like jane@example.com, without a name, quotes or angle brackets." },
        { "encoded-name", "=?utf-8?q?Eve?= <eve@example.com>", "", "\"=?utf-8?q?Eve?= <eve@example.com>\" is not a valid email address: enter the bare address, like jane@example.com, without a name, quotes or angle brackets." },
    };

    [Theory, MemberData(nameof(Injections))]
    public async Task Header_injection_attempts_are_refused_with_a_clear_message_and_nothing_is_queued(string name, string addresses, string cc, string message)
    {
        var invitation = await SendableInvitationAsync(app, $"inj-{name}");
        using var admin = await app.AdminClientAsync();
        var jobs = app.EnqueuedDeliveryJobs().Count;
        var response = await admin.SendFromPageAsync(invitation.Id, addresses, cc: cc);
        var page = await TestClient.ParseAsync(response);
        Assert.True(TestClient.Errors(page).Contains(message), $"{(int)response.StatusCode} {response.Headers.Location} " + TestClient.Excerpt(page.QuerySelector("main")?.OuterHtml ?? ""));
        await AssertNothingQueuedAsync(invitation.Id, jobs);
    }

    [Fact]
    public async Task A_nul_character_in_the_form_is_a_bad_request_and_nothing_is_queued()
    {
        var invitation = await SendableInvitationAsync(app, "inj-nul");
        using var admin = await app.AdminClientAsync();
        var jobs = app.EnqueuedDeliveryJobs().Count;
        // ASP.NET Core refuses to read such a form at all; the error page says so with a 400.
        var response = await admin.SendFromPageAsync(invitation.Id, "eve@example.com\0bcc@example.com");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Bad request", (await TestClient.ParseAsync(response)).QuerySelector("main h1")!.TextContent.Trim());
        await AssertNothingQueuedAsync(invitation.Id, jobs);
    }

    [Fact]
    public async Task An_invitation_without_a_flow_or_expired_is_not_offered_and_a_post_is_refused()
    {
        var noFlow = await SendableInvitationAsync(app, "send-noflow", withFlow: false);
        var expired = await SendableInvitationAsync(app, "send-expired", expires: DateTime.UtcNow.AddMinutes(-1));
        using var admin = await app.AdminClientAsync();
        var jobs = app.EnqueuedDeliveryJobs().Count;
        foreach (var (invitation, message) in new[]
        {
            (noFlow, "Invitation has no associated flow, so there is no link to send. Edit it through the API or create a new one."),
            (expired, "This invitation has expired; its link would not work. Create a new invitation."),
        })
        {
            var page = await admin.GetPageAsync(DetailsUrl(invitation.Id));
            Assert.Null(page.QuerySelector("#send-invitation form"));
            Assert.Equal(message, page.QuerySelector("#send-invitation p")!.TextContent.Trim());

            // A post from a page opened earlier (or forged) is refused all the same.
            var send = await admin.GetPageAsync(SendUrl(invitation.Id));
            var token = TestClient.AntiforgeryToken(send);
            var response = await admin.Http.PostAsync(SendUrl(invitation.Id), new FormUrlEncodedContent(
                [new("Input.Addresses", "someone@example.com"), new("__RequestVerificationToken", token)]));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(message, (await TestClient.ParseAsync(response)).QuerySelector("#send-invitation")!.TextContent);
            await AssertNothingQueuedAsync(invitation.Id, jobs);
        }
    }

    [Fact]
    public async Task Without_an_antiforgery_token_or_for_an_unknown_invitation_nothing_happens()
    {
        var invitation = await SendableInvitationAsync(app, "send-guard");
        using var admin = await app.AdminClientAsync();
        var jobs = app.EnqueuedDeliveryJobs().Count;
        var forged = await admin.Http.PostAsync(SendUrl(invitation.Id), new FormUrlEncodedContent([new("Input.Addresses", "x@example.com")]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        await AssertNothingQueuedAsync(invitation.Id, jobs);

        var unknown = Guid.NewGuid();
        await admin.GetPageAsync(SendUrl(unknown), HttpStatusCode.NotFound);
        var posted = await admin.PostFormAsync(DetailsUrl(invitation.Id), [new("Input.Addresses", "x@example.com")], SendUrl(unknown));
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync(DeliveriesUrl(unknown))).StatusCode);
    }

    [Fact]
    public async Task With_htmx_the_form_swaps_itself_and_raises_deliveries_changed_and_the_table_comes_alone()
    {
        var invitation = await SendableInvitationAsync(app, "send-htmx");
        using var admin = await app.AdminClientAsync();
        var page = await admin.GetPageAsync(DetailsUrl(invitation.Id));
        var token = TestClient.AntiforgeryToken(page, DetailsUrl(invitation.Id), SendUrl(invitation.Id));

        async Task<HttpResponseMessage> HtmxPost(string addresses)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, SendUrl(invitation.Id))
            {
                Content = new FormUrlEncodedContent([new("Input.Addresses", addresses), new("__RequestVerificationToken", token)]),
            };
            request.Headers.Add("HX-Request", "true");
            request.Headers.Add("HX-Target", "send-invitation");
            return await admin.Http.SendAsync(request);
        }

        // Errors: the form comes back with them (200, as htmx 2 swaps only 2xx), no event.
        var bad = await HtmxPost("nope");
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.False(bad.Headers.Contains("HX-Trigger"));
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.StartsWith("<section id=\"send-invitation\"", badHtml.Trim());
        Assert.DoesNotContain("<main", badHtml);
        Assert.Contains("&quot;nope&quot; is not a valid email address.", badHtml);

        // Success: the emptied form with a note, and the event that reloads the table.
        var ok = await HtmxPost("hx@example.com");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("deliveries-changed", Assert.Single(ok.Headers.GetValues("HX-Trigger")));
        var fragment = await TestClient.ParseAsync(ok);
        Assert.Equal("The invitation email is queued; its state shows below.", fragment.QuerySelector("#send-invitation .flash")!.TextContent.Trim());
        Assert.Equal("", fragment.QuerySelector("textarea[name='Input.Addresses']")!.TextContent.Trim());
        Assert.Equal(DeliveryState.Queued, (await app.DeliveryAsync(invitation.Id, "hx@example.com")).State);

        // The table alone, polling while the email is queued…
        var table = await admin.Http.GetAsync(DeliveriesUrl(invitation.Id));
        var tableHtml = await table.Content.ReadAsStringAsync();
        Assert.StartsWith("<section id=\"deliveries\"", tableHtml.Trim());
        var pending = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(tableHtml);
        Assert.Equal("deliveries-changed from:body, every 2s", pending.QuerySelector("#deliveries")!.GetAttribute("hx-trigger"));
        Assert.Equal("Queued", State(Row(pending, "hx@example.com")));

        // …and no longer once it is sent.
        await app.DbAsync(db => db.InvitationDeliveries.Where(d => d.InvitationId == invitation.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.State, DeliveryState.Sent).SetProperty(d => d.Sent, DateTime.UtcNow).SetProperty(d => d.Attempts, 1)));
        var done = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await (await admin.Http.GetAsync(DeliveriesUrl(invitation.Id))).Content.ReadAsStringAsync());
        Assert.Equal("deliveries-changed from:body", done.QuerySelector("#deliveries")!.GetAttribute("hx-trigger"));
        Assert.Equal("Sent", State(Row(done, "hx@example.com")));
    }

    [Fact]
    public async Task Addresses_and_smtp_errors_are_html_encoded()
    {
        var invitation = await SendableInvitationAsync(app, "send-encode");
        await app.DbAsync(db =>
        {
            db.InvitationDeliveries.Add(new InvitationDelivery
            {
                InvitationId = invitation.Id, Email = "enc@example.com", BaseUrl = "http://localhost", State = DeliveryState.Failed, Attempts = 1,
                LastError = "550 <script>alert('smtp')</script><img src=x onerror=alert(1)>", LastAttempt = DateTime.UtcNow,
            });
            return db.SaveChangesAsync();
        });
        using var admin = await app.AdminClientAsync();
        var html = await admin.GetHtmlAsync(DetailsUrl(invitation.Id));
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<img src=x", html);
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        Assert.Equal("550 <script>alert('smtp')</script><img src=x onerror=alert(1)>", Row(page, "enc@example.com").QuerySelector(".delivery-error")!.TextContent.Trim());
        Assert.Empty(page.QuerySelectorAll("#deliveries script, #deliveries img"));

        var response = await admin.SendFromPageAsync(invitation.Id, "<script>alert(1)</script>@example.com", cc: "\"><img src=x onerror=alert(2)>");
        var errorHtml = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert(1)", errorHtml);
        Assert.DoesNotContain("<img src=x", errorHtml);
        var errors = TestClient.Errors(new AngleSharp.Html.Parser.HtmlParser().ParseDocument(errorHtml));
        Assert.Contains(errors, e => e.StartsWith("\"<script>alert(1)</script>@example.com\" is not a valid email address"));
    }

    [Fact]
    public async Task A_delivery_with_header_injection_in_the_database_is_failed_by_the_job_and_never_sent()
    {
        // Defence in depth: should a bad address reach the table some other way, the job refuses it too.
        var invitation = await SendableInvitationAsync(app, "send-dbinj");
        var delivery = new InvitationDelivery { InvitationId = invitation.Id, Email = "a@example.com\r\nBcc: victim@example.com", BaseUrl = "http://localhost" };
        await app.DbAsync(db => { db.InvitationDeliveries.Add(delivery); return db.SaveChangesAsync(); });

        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<InvitationDeliveryJob>().SendAsync([delivery.Id], default);

        var failed = await app.DbAsync(db => db.InvitationDeliveries.AsNoTracking().SingleAsync(d => d.Id == delivery.Id));
        Assert.Equal(DeliveryState.Failed, failed.State);
        Assert.Equal("\"a@example.com\\r\\nBcc: victim@example.com\" is not a valid email address: it contains a line break or another control character.", failed.LastError);
        var pickup = Path.Combine(app.DataDirectory, "mail");
        Assert.True(!Directory.Exists(pickup) || Directory.GetFiles(pickup).Length == 0);
    }
}
