using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Infrastructure.Email;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmtpServer.Protocol;
using static Enrollment.Tests.Features.Invitations.BulkInvitePages;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Invitations;

/// <summary><c>/if/admin/invitations/bulk/{id}/</c>: a run's counts as its emails go out, polled with htmx and refreshed without JavaScript.</summary>
[Collection(BulkInviteCollection.Name)]
public sealed class BulkInviteProgressTests(Hosts.WithSmtp app)
{
    [Fact]
    public async Task The_run_page_shows_the_counts_polls_with_htmx_refreshes_without_javascript_and_stops_when_finished()
    {
        await GuideFlowAsync(app, "bulk-progress");
        using var client = await app.AdminClientAsync();
        var runId = RunId(await PasteAsync(client, "bulk-progress", "ok1@example.com\nok2@example.com\ngone@example.com\nlater@example.com\n"));
        var url = $"{Url}{runId}/";

        var page = await client.GetPageAsync(url);
        var progress = page.QuerySelector("#bulk-progress")!;
        Assert.Equal("4", progress.QuerySelector("[data-count=queued]")!.TextContent);
        Assert.Equal(url + "?handler=Progress", progress.GetAttribute("hx-get"));
        Assert.Equal("every 2s", progress.GetAttribute("hx-trigger"));
        Assert.Equal("outerHTML", progress.GetAttribute("hx-swap"));
        // Without JavaScript: the page refreshes itself, and a plain link does the same.
        Assert.Contains("http-equiv=\"refresh\"", progress.QuerySelector("noscript")!.InnerHtml);
        Assert.Equal(url, progress.QuerySelector("#bulk-refresh")!.GetAttribute("href"));

        app.Smtp.Answer = m => m.To.Mailboxes.Single().Address switch
        {
            "gone@example.com" => new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "no such mailbox"),
            "later@example.com" => new SmtpResponse((SmtpReplyCode)451, "greylisted, try later"),
            _ => SmtpResponse.Ok,
        };
        try { await app.RunDeliveriesAsync(runId); }
        finally { app.Smtp.Answer = _ => SmtpResponse.Ok; }

        // The fragment htmx polls for: the section alone, with the new counts.
        var request = new HttpRequestMessage(HttpMethod.Get, url + "?handler=Progress");
        request.Headers.Add("HX-Request", "true");
        var fragment = await client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, fragment.StatusCode);
        var html = await fragment.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<html", html);
        Assert.StartsWith("<section id=\"bulk-progress\"", html.Trim());
        var part = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        Assert.Equal(["0", "0", "2", "1", "1"], new[] { "queued", "sending", "sent", "retrying", "failed" }.Select(s => part.QuerySelector($"[data-count={s}]")!.TextContent));
        Assert.Equal("3", part.QuerySelector("#bulk-progress-bar")!.GetAttribute("value"));
        Assert.NotNull(part.QuerySelector("#bulk-progress")!.GetAttribute("hx-trigger")); // one is still to be retried
        var troubles = part.QuerySelector("#bulk-troubles")!.TextContent;
        Assert.Contains("gone@example.com", troubles);
        Assert.Contains("no such mailbox", troubles);
        Assert.Contains("later@example.com", troubles);
        Assert.Contains("Retrying at", troubles);

        // The retry goes through: the run is finished, and nothing polls or refreshes any more.
        await app.RunDeliveriesAsync(runId);
        page = await client.GetPageAsync(url);
        progress = page.QuerySelector("#bulk-progress")!;
        Assert.Equal("3", progress.QuerySelector("[data-count=sent]")!.TextContent);
        Assert.Equal("1", progress.QuerySelector("[data-count=failed]")!.TextContent);
        Assert.Null(progress.GetAttribute("hx-get"));
        Assert.Null(progress.GetAttribute("hx-trigger"));
        Assert.Null(progress.QuerySelector("noscript"));
        Assert.Contains("Finished:", progress.TextContent);
        Assert.Contains("3 sent, 1 failed of 4", progress.TextContent);

        var unknown = await client.Http.GetAsync($"{Url}{Guid.NewGuid()}/");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
