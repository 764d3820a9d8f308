using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Snapshots;
using Snapshooter.Xunit;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Stages.Prompt;

/// <summary>What an invitee sees: the guide's prompt stage, prefilled from the invitation, before and after a mistake.</summary>
public sealed class PromptStageSnapshots(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task Prompt_stage_prefilled_from_the_invitation_and_with_errors()
    {
        var setup = await GuideFlowAsync(app, "snapshot-flow", UserType.Internal, "users/snapshots");
        var invitation = await setup.InviteAsync(app, "snapshot-invite", fixedData: new JsonObject { ["email"] = "jane@example.com" });
        using var client = app.NewClient();
        var page = await client.GetPageAsync(setup.Link(invitation));
        var stage = page.QuerySelector("input[name=stage]")!.GetAttribute("value")!;
        var errors = await client.PostFormAsync(setup.Link(invitation), ("stage", stage), ("username", "jane"), ("name", ""),
            ("email", "not-an-email"), ("password", "short"), ("password_repeat", "other"));

        Snapshot.Match(HtmlSnapshot.Normalize(page) + "\n----- after a submit with mistakes -----\n" + HtmlSnapshot.Normalize(await TestClient.ParseAsync(errors)));
    }
}
