using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.FlowExecution;

/// <summary>
/// The five example invitations of the "invitation-based enrollment" guide, walked as invitees with JavaScript off,
/// and where each invitee lands afterwards (internal: the user interface; external: the brand's application).
/// </summary>
public sealed class ExampleInvitationsTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private const string SignedIn = "Successfully logged in!";
    private const string InternalOnly = "Interface can only be accessed by internal users.";

    [Fact]
    public async Task External_basic_invitation_creates_an_external_user_who_may_not_use_the_user_interface()
    {
        await SetDefaultApplicationAsync(null);
        var setup = await GuideFlowAsync(app, "ex-external-basic", UserType.External, "users/external");
        var invitation = await setup.InviteAsync(app, "external-basic");
        using var client = app.NewClient();

        await client.EnrollToTheEndAsync(setup.Link(invitation), Answers("ext-basic", "Ext Basic", "ext-basic@example.com"));

        await AssertUserAsync(app, "ext-basic", "Ext Basic", "ext-basic@example.com", "users/external", UserType.External, []);
        Assert.Equal(1, await UsesAsync(app, invitation.Id));
        // Signed in (an anonymous visitor would be sent to the login page), but external: no user interface.
        var home = await client.GetPageAsync("/if/user/", HttpStatusCode.Forbidden);
        Assert.Equal(InternalOnly, home.QuerySelector("[role=alert]")!.TextContent.Trim());
        Assert.Equal(SignedIn, home.QuerySelector(".flash")?.TextContent.Trim());
    }

    [Fact]
    public async Task External_invitation_with_prefilled_email_shows_it_and_the_user_gets_it_and_lands_on_the_brand_application()
    {
        var setup = await GuideFlowAsync(app, "ex-external-email", UserType.External, "users/external");
        var invitation = await setup.InviteAsync(app, "external-email", fixedData: new() { ["email"] = "partner@example.org" });
        using var client = app.NewClient();

        var page = await client.GetPageAsync(setup.Link(invitation));
        Assert.Equal("partner@example.org", InputValue(page, "email"));
        // The browser sends back what the field holds: the pre-filled address.
        var posted = await client.SubmitAsync(setup.Link(invitation), page, Answers("partner", "Pat Partner", InputValue(page, "email")));
        posted.AssertRedirect("/if/user/");

        await AssertUserAsync(app, "partner", "Pat Partner", "partner@example.org", "users/external", UserType.External, []);
        await SetDefaultApplicationAsync("https://apps.example.org/portal/");
        try
        {
            (await client.Http.GetAsync("/if/user/")).AssertRedirect("https://apps.example.org/portal/");
        }
        finally
        {
            await SetDefaultApplicationAsync(null);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await client.Http.GetAsync("/if/user/")).StatusCode);
    }

    [Fact]
    public async Task Internal_prefilled_invitation_creates_an_internal_user_with_name_email_and_attributes()
    {
        var setup = await GuideFlowAsync(app, "ex-internal", UserType.Internal, "users/internal");
        var invitation = await setup.InviteAsync(app, "internal-prefilled", fixedData: new()
        {
            ["name"] = "Ines Internal",
            ["email"] = "ines@example.com",
            ["attributes"] = new JsonObject { ["department"] = "Support", ["employee_id"] = "E-1017" },
        });
        using var client = app.NewClient();

        var page = await client.GetPageAsync(setup.Link(invitation));
        Assert.Equal("Ines Internal", InputValue(page, "name"));
        Assert.Equal("ines@example.com", InputValue(page, "email"));
        Assert.Equal("", InputValue(page, "username"));
        var posted = await client.SubmitAsync(setup.Link(invitation), page, Answers("ines", InputValue(page, "name"), InputValue(page, "email")));
        posted.AssertRedirect("/if/user/");

        await AssertUserAsync(app, "ines", "Ines Internal", "ines@example.com", "users/internal", UserType.Internal, [],
            """{"department":"Support","employee_id":"E-1017"}""");
        var home = await client.GetPageAsync("/if/user/");
        Assert.Equal("Welcome, Ines Internal", home.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains("users/internal", home.QuerySelector("dl")!.TextContent);
        Assert.Equal(SignedIn, home.QuerySelector(".flash")?.TextContent.Trim());
    }

    [Fact]
    public async Task Department_invitation_for_many_is_used_by_three_invitees_who_all_get_the_attribute()
    {
        var setup = await GuideFlowAsync(app, "ex-department", UserType.Internal, "users/internal");
        var invitation = await setup.InviteAsync(app, "sales-department", singleUse: false,
            fixedData: new() { ["attributes"] = new JsonObject { ["department"] = "Sales" } });

        foreach (var name in new[] { "sales-1", "sales-2", "sales-3" })
        {
            using var client = app.NewClient();
            await client.EnrollToTheEndAsync(setup.Link(invitation), Answers(name));
            Assert.Contains(name, (await client.GetPageAsync("/if/user/")).QuerySelector("dl")!.TextContent);
            await AssertUserAsync(app, name, $"Name of {name}", $"{name}@example.com", "users/internal", UserType.Internal, [],
                """{"department":"Sales"}""");
        }
        Assert.Equal(3, await UsesAsync(app, invitation.Id));
    }

    [Fact]
    public async Task Engineering_invitation_puts_the_user_in_the_team_group_under_its_path()
    {
        var group = await GroupAsync(app, "engineering-team");
        var setup = await GuideFlowAsync(app, "ex-engineering", UserType.Internal, "users/internal/engineering", group);
        var invitation = await setup.InviteAsync(app, "engineering-team",
            fixedData: new() { ["attributes"] = new JsonObject { ["department"] = "Engineering" } });
        using var client = app.NewClient();

        await client.EnrollToTheEndAsync(setup.Link(invitation), Answers("eng"));

        await AssertUserAsync(app, "eng", "Name of eng", "eng@example.com", "users/internal/engineering", UserType.Internal,
            ["engineering-team"], """{"department":"Engineering"}""");
        var home = await client.GetPageAsync("/if/user/");
        Assert.Contains("engineering-team", home.QuerySelector("dl")!.TextContent);
        Assert.Equal(1, await UsesAsync(app, invitation.Id));
    }

    private Task SetDefaultApplicationAsync(string? url) => app.DbAsync(async db =>
    {
        var brand = await db.Brands.SingleAsync(b => b.Default);
        brand.DefaultApplicationUrl = url;
        await db.SaveChangesAsync();
    });
}
