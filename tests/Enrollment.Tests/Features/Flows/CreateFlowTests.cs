using System.Net;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Flows;

/// <summary><c>/if/admin/flows/new/</c>: a new flow, with its settings, or the form again naming what is wrong.</summary>
[Collection(FlowsCollection.Name)]
public sealed class CreateFlowTests(Hosts.Default app)
{
    [Fact]
    public async Task Admin_creates_a_flow_and_finds_it_in_the_list()
    {
        using var client = await app.AdminClientAsync();
        var response = await client.PostFormAsync("/if/admin/flows/new/",
            ("Input.Name", "Partner enrollment"), ("Input.Slug", "partner-enrollment"), ("Input.Title", "Welcome, partner"),
            ("Input.Designation", "enrollment"), ("Input.Authentication", "require_unauthenticated"),
            ("Input.DeniedAction", "message_continue"), ("Input.Layout", "stacked"), ("Input.PolicyEngineMode", "any"));
        response.AssertRedirect("/if/admin/flows/partner-enrollment/");

        var flow = await app.DbAsync(db => db.Flows.SingleAsync(f => f.Slug == "partner-enrollment"));
        Assert.Equal("Welcome, partner", flow.Title);
        Assert.Equal(Enrollment.Domain.FlowAuthentication.RequireUnauthenticated, flow.Authentication);

        var list = await client.GetPageAsync("/if/admin/flows/?q=partner");
        Assert.Contains("partner-enrollment", list.QuerySelector("#flow-rows")!.TextContent);
    }

    [Fact]
    public async Task Duplicate_slug_is_a_form_error_and_nothing_is_saved()
    {
        using var client = await app.AdminClientAsync();
        (string, string)[] fields = [("Input.Name", "Dup"), ("Input.Slug", "dup-slug"), ("Input.Designation", "enrollment"),
            ("Input.Authentication", "none"), ("Input.DeniedAction", "message_continue"), ("Input.Layout", "stacked"), ("Input.PolicyEngineMode", "any")];
        (await client.PostFormAsync("/if/admin/flows/new/", fields)).AssertRedirect("/if/admin/flows/dup-slug/");

        var again = await client.PostFormAsync("/if/admin/flows/new/", fields);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("A flow with this slug already exists.", TestClient.Errors(await TestClient.ParseAsync(again)));
        Assert.Equal(1, await app.DbAsync(db => db.Flows.CountAsync(f => f.Slug == "dup-slug")));
    }

    [Fact]
    public async Task Missing_required_fields_are_named_and_nothing_is_saved()
    {
        using var client = await app.AdminClientAsync();
        var before = await app.DbAsync(db => db.Flows.CountAsync());
        var response = await client.PostFormAsync("/if/admin/flows/new/", ("Input.Name", ""), ("Input.Slug", "bad slug!"),
            ("Input.Designation", "not-a-designation"), ("Input.Authentication", "none"), ("Input.DeniedAction", "message_continue"),
            ("Input.Layout", "stacked"), ("Input.PolicyEngineMode", "any"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var errors = TestClient.Errors(await TestClient.ParseAsync(response));
        Assert.Contains("Enter a name.", errors);
        Assert.Contains("Use only letters, digits, '-' and '_'.", errors);
        Assert.Contains(errors, e => e.StartsWith("Choose one of: authentication"));
        Assert.Equal(before, await app.DbAsync(db => db.Flows.CountAsync()));
    }
}
