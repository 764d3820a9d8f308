using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.EmailKit;

namespace Enrollment.Tests.Features.Api.Invitations;

/// <summary><c>POST /api/v3/stages/invitation/invitations/bulk/</c> and its progress, with the delivery jobs and a real SMTP server.</summary>
public sealed class BulkInvitationsApiTests(Hosts.WithSmtpAndJobs app) : IClassFixture<Hosts.WithSmtpAndJobs>
{
    private const string Bulk = "/api/v3/stages/invitation/invitations/bulk/";

    [Fact]
    public async Task Creates_one_invitation_per_recipient_emails_them_and_reports_progress_per_recipient()
    {
        var p = ApiJsonClient.Unique("bulk");
        var flow = await app.FlowAsync(p, withInvitationStage: true);
        using var api = app.ApiClient();
        var before = await app.DbAsync(db => db.Invitations.CountAsync());
        var answer = await api.SendJsonAsync(HttpMethod.Post, Bulk, $$"""
            {"template": {"flow": "{{flow.Id}}", "expires": "2031-01-31T12:00:00Z", "single_use": true, "fixed_data": {"attributes": {"team": "ops"} } },
             "recipients": [
               {"email": "{{p}}-ann@example.com", "name": "Ann", "fixed_data": {"attributes": {"team": "sales"} } },
               {"email": "{{p}}-bob@example.com"},
               {"email": "not-an-address"},
               {"email": "{{p}}-ANN@example.com"}
             ],
             "remind_after_days": 4}
            """, HttpStatusCode.Accepted);
        Assert.Equal(2, (int)answer["total"]!);
        var rejected = answer["rejected"]!.AsArray();
        Assert.Equal([3, 4], rejected.Select(r => (int)r!["row"]!));
        var job = (string)answer["job_id"]!;
        Assert.Equal($"{Bulk}{job}/", (string)answer["progress_url"]!);

        await app.Smtp.WaitForMessageToAsync($"{p}-ann@example.com");
        await app.Smtp.WaitForMessageToAsync($"{p}-bob@example.com");
        JsonNode progress;
        var deadline = DateTime.UtcNow + Patience;
        do
        {
            progress = await api.GetJsonAsync($"{Bulk}{job}/");
            if ((bool)progress["progress"]!["finished"]!) break;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        Assert.Equal(2, (int)progress["progress"]!["sent"]!);
        Assert.Equal(2, (int)progress["total"]!);
        Assert.Equal(2, progress["rejected"]!.AsArray().Count);
        var results = progress["results"]!.AsArray();
        Assert.Equal([$"{p}-ann@example.com", $"{p}-bob@example.com"], results.Select(r => (string)r!["email"]!));
        Assert.All(results, r => Assert.Equal("sent", (string)r!["state"]!));

        var annPk = Guid.Parse((string)results[0]!["invitation"]!);
        var ann = await app.DbAsync(db => db.Invitations.AsNoTracking().SingleAsync(i => i.Id == annPk));
        // The recipient's own data over the template's; the address first.
        Assert.Equal("sales", (string)ann.FixedData["attributes"]!["team"]!);
        Assert.Equal("Ann", (string)ann.FixedData["name"]!);
        Assert.Equal($"{p}-ann@example.com", (string)ann.FixedData["email"]!);
        Assert.True(ann.SingleUse);
        Assert.Equal(new DateTime(2031, 1, 31, 12, 0, 0, DateTimeKind.Utc), ann.Expires);
        var bobPk = Guid.Parse((string)results[1]!["invitation"]!);
        var bob = await app.DbAsync(db => db.Invitations.AsNoTracking().SingleAsync(i => i.Id == bobPk));
        Assert.Equal("ops", (string)bob.FixedData["attributes"]!["team"]!);
        Assert.Equal(before + 2, await app.DbAsync(db => db.Invitations.CountAsync()));
        // A reminder each, four days on.
        var reminders = await app.DbAsync(db => db.InvitationDeliveries.AsNoTracking().Where(d => (d.InvitationId == annPk || d.InvitationId == bobPk) && d.IsReminder).ToListAsync());
        Assert.Equal(2, reminders.Count);
        Assert.All(reminders, r => Assert.Equal(DeliveryState.Scheduled, r.State));

        var page = await api.GetJsonAsync($"{Bulk}{job}/?page_size=1&page=2");
        Assert.Equal([$"{p}-bob@example.com"], page["results"]!.AsArray().Select(r => (string)r!["email"]!));
        await api.GetJsonAsync($"{Bulk}{Guid.NewGuid()}/", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task With_send_false_the_invitations_are_created_and_nobody_is_emailed()
    {
        var p = ApiJsonClient.Unique("quiet");
        var flow = await app.FlowAsync(p, withInvitationStage: true);
        using var api = app.ApiClient();
        var answer = await api.SendJsonAsync(HttpMethod.Post, Bulk, $$"""
            {"template": {"flow": "{{flow.Id}}"}, "recipients": [{"email": "{{p}}@example.com"}], "send": false}
            """, HttpStatusCode.Accepted);
        var job = Guid.Parse((string)answer["job_id"]!);
        Assert.Equal(1, await app.DbAsync(db => db.Invitations.CountAsync(i => i.FlowId == flow.Id)));
        Assert.Equal(0, await app.DbAsync(db => db.InvitationDeliveries.CountAsync(d => d.BulkInvitationId == job)));
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"recipients": [{"email": "a@example.com"}]}""", "template" },
        { """{"template": {"flow": "00000000-0000-0000-0000-000000000001"}, "recipients": [{"email": "a@example.com"}]}""", "template" },
        { """{"template": {"flow": "FLOW", "expires": "tomorrow"}, "recipients": [{"email": "a@example.com"}]}""", "template" },
        { """{"template": {"flow": "FLOW", "fixed_data": [1]}, "recipients": [{"email": "a@example.com"}]}""", "template" },
        { """{"template": {"flow": "FLOW"}, "recipients": "a@example.com"}""", "recipients" },
        { """{"template": {"flow": "FLOW"}, "recipients": []}""", "recipients" },
        { """{"template": {"flow": "FLOW"}, "recipients": [{"email": "nope"}, {"name": "no address"}]}""", "recipients" },
        { """{"template": {"flow": "FLOW"}, "recipients": [{"email": "a@example.com"}], "send": "yes"}""", "send" },
        { """{"template": {"flow": "FLOW"}, "recipients": [{"email": "a@example.com"}], "remind_after_days": 0}""", "remind_after_days" },
    };

    [Theory, MemberData(nameof(BadBodies))]
    public async Task A_bad_body_is_a_400_naming_the_field_and_nothing_is_written(string body, string field)
    {
        var p = ApiJsonClient.Unique("badbulk");
        var flow = await app.FlowAsync(p, withInvitationStage: true);
        using var api = app.ApiClient();
        var before = await app.DbAsync(async db => (await db.Invitations.CountAsync(), await db.BulkInvitations.CountAsync(), await db.InvitationDeliveries.CountAsync()));
        var (status, json) = await api.SendJsonAsync(HttpMethod.Post, Bulk, body.Replace("FLOW", flow.Id.ToString()));
        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} {json?.ToJsonString()}");
        Assert.NotNull(json![field]);
        Assert.Equal(before, await app.DbAsync(async db => (await db.Invitations.CountAsync(), await db.BulkInvitations.CountAsync(), await db.InvitationDeliveries.CountAsync())));
    }
}
