using System.Net;
using System.Text.Json.Nodes;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Tests.Features.Api;
using Enrollment.Tests.Features.Api.Invitations;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Invitations;

/// <summary>
/// <c>/if/admin/invitations/{id}/edit/</c> as a browser without JavaScript uses it: the create page's fields filled with
/// the invitation's values, each of them saved, the create page's refusals (nothing written), 404s, and admins only.
/// </summary>
/// <remarks>
/// A host of its own that can delete an invitation under a save (<see cref="Hosts.WithConcurrentRemoval"/>); the groups
/// these tests add would also show on the form snapshot of the other invitation tests.
/// </remarks>
public sealed class EditInvitationTests(Hosts.WithConcurrentRemoval app) : IClassFixture<Hosts.WithConcurrentRemoval>
{
    private static string EditUrl(Guid id) => $"/if/admin/invitations/{id}/edit/";

    private sealed record Arranged(Invitation Invitation, Flow Flow, Flow OtherFlow, Group Red, Group Blue);

    /// <summary>An invitation with every field set: expiry, flow, custom attributes, max uses 4, group red, an address and two domains.</summary>
    private async Task<Arranged> ArrangeAsync(DateTime? expires = null)
    {
        var p = ApiJsonClient.Unique("edit");
        var flow = await app.FlowAsync(p, withInvitationStage: true);
        var other = await app.FlowAsync(p + "-other", withInvitationStage: true);
        var (red, blue) = (await GroupAsync(app, p + "-red"), await GroupAsync(app, p + "-blue"));
        var invitation = new Invitation
        {
            Name = p, FlowId = flow.Id, Expires = expires ?? new DateTime(2099, 2, 3, 4, 5, 0, DateTimeKind.Utc),
            FixedData = new JsonObject { ["attributes"] = new JsonObject { ["team"] = "blue" } }, MaxUses = 4,
            Email = "ann@eu.example.com", EmailDomains = ["example.com", "example.org"],
        };
        invitation.Groups.Add(new InvitationGroup { InvitationId = invitation.Id, GroupId = red.Id });
        await app.DbAsync(db => { db.Invitations.Add(invitation); return db.SaveChangesAsync(); });
        return new Arranged(invitation, flow, other, red, blue);
    }

    private Task<Invitation> LoadAsync(Guid id) =>
        app.DbAsync(db => db.Invitations.AsNoTracking().Include(i => i.Groups).SingleAsync(i => i.Id == id));

    /// <summary>What the invitation holds, in one comparable string (to show nothing was written).</summary>
    private async Task<string> StateAsync(Guid id)
    {
        var i = await LoadAsync(id);
        return string.Join(" | ", i.Name, i.Expires?.ToString("O"), i.FlowId, i.FixedData.ToJsonString(), i.MaxUses, i.Email,
            string.Join(",", i.EmailDomains), string.Join(",", i.Groups.Select(g => g.GroupId).Order()));
    }

    /// <summary>The fields the edit form would post as it is shown, as a browser collects them (checked boxes only).</summary>
    private static List<KeyValuePair<string, string>> FormFields(IHtmlDocument page)
    {
        var form = page.QuerySelectorAll("main form").Single(f => f.QuerySelector("[name='Input.Name']") is not null);
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var control in form.QuerySelectorAll("input, select, textarea"))
        {
            var name = control.GetAttribute("name");
            if (name is null || name == "__RequestVerificationToken") continue;
            switch (control)
            {
                case IHtmlInputElement { Type: "checkbox" } box:
                    if (box.IsChecked) fields.Add(new(name, box.Value));
                    break;
                case IHtmlInputElement input:
                    fields.Add(new(name, input.Value));
                    break;
                case IHtmlSelectElement select:
                    fields.Add(new(name, select.Value ?? ""));
                    break;
                case IHtmlTextAreaElement area:
                    fields.Add(new(name, area.Value));
                    break;
            }
        }
        return fields;
    }

    private static List<KeyValuePair<string, string>> With(List<KeyValuePair<string, string>> fields, string name, params string[] values)
    {
        var changed = fields.Where(f => f.Key != name).ToList();
        changed.AddRange(values.Select(v => new KeyValuePair<string, string>(name, v)));
        return changed;
    }

    private async Task<HttpResponseMessage> PostAsync(TestClient client, Guid id, List<KeyValuePair<string, string>> fields) =>
        await client.PostFormAsync(EditUrl(id), fields);

    [Fact]
    public async Task The_form_is_filled_with_the_invitations_current_values()
    {
        var a = await ArrangeAsync();
        using var client = await app.AdminClientAsync();
        var page = await client.GetPageAsync(EditUrl(a.Invitation.Id));

        Assert.Equal($"Edit invitation “{a.Invitation.Name}”", page.QuerySelector("h1")!.TextContent);
        Assert.Equal(a.Invitation.Name, page.QuerySelector<IHtmlInputElement>("#Input_Name")!.Value);
        Assert.Equal("2099-02-03T04:05", page.QuerySelector<IHtmlInputElement>("#Input_Expires")!.Value);
        Assert.Equal(a.Flow.Slug, page.QuerySelector<IHtmlSelectElement>("#Input_FlowSlug")!.Value);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"attributes":{"team":"blue"}}"""),
            JsonNode.Parse(page.QuerySelector<IHtmlTextAreaElement>("#Input_FixedData")!.Value)));
        Assert.False(page.QuerySelector<IHtmlInputElement>("#Input_SingleUse")!.IsChecked);
        Assert.Equal("4", page.QuerySelector<IHtmlInputElement>("#Input_MaxUses")!.Value);
        Assert.NotNull(page.QuerySelector($"input[name='Input.Groups'][value='{a.Red.Id}'][checked]"));
        Assert.NotNull(page.QuerySelector($"input[name='Input.Groups'][value='{a.Blue.Id}']:not([checked])"));
        Assert.Equal("ann@eu.example.com", page.QuerySelector<IHtmlInputElement>("#Input_Email")!.Value);
        Assert.Equal("example.com, example.org", page.QuerySelector<IHtmlTextAreaElement>("#Input_EmailDomains")!.Value);
        Assert.Null(page.QuerySelector("#uses-so-far"));

        // Posted back untouched, the form changes nothing (and records the save).
        var before = await StateAsync(a.Invitation.Id);
        (await PostAsync(client, a.Invitation.Id, FormFields(page))).AssertRedirect(InvitationPages.DetailsUrl(a.Invitation.Id));
        Assert.Equal(before, await StateAsync(a.Invitation.Id));
    }

    [Fact]
    public async Task A_single_use_invitation_without_attributes_shows_the_box_checked_and_the_attributes_empty()
    {
        var flow = await app.FlowAsync(ApiJsonClient.Unique("edit-single"), withInvitationStage: true);
        var invitation = await InvitationAsync(app, ApiJsonClient.Unique("edit-single"), flow.Id, singleUse: true);
        using var client = await app.AdminClientAsync();
        var page = await client.GetPageAsync(EditUrl(invitation.Id));
        Assert.True(page.QuerySelector<IHtmlInputElement>("#Input_SingleUse")!.IsChecked);
        Assert.Equal("1", page.QuerySelector<IHtmlInputElement>("#Input_MaxUses")!.Value);
        Assert.Equal("", page.QuerySelector<IHtmlInputElement>("#Input_Expires")!.Value);
        Assert.Equal("", page.QuerySelector<IHtmlTextAreaElement>("#Input_FixedData")!.Value);
        Assert.Equal("", page.QuerySelector<IHtmlInputElement>("#Input_Email")!.Value);
    }

    [Fact]
    public async Task The_invitation_page_and_its_row_in_the_list_link_to_the_edit_page()
    {
        var a = await ArrangeAsync();
        using var client = await app.AdminClientAsync();
        var details = await client.GetPageAsync(InvitationPages.DetailsUrl(a.Invitation.Id));
        Assert.Contains(details.QuerySelectorAll("main a"), l => l.TextContent.Trim() == "Edit" && l.GetAttribute("href") == EditUrl(a.Invitation.Id));
        var list = await client.GetPageAsync($"/if/admin/invitations/?q={a.Invitation.Name}");
        Assert.Contains(list.QuerySelectorAll("#invitation-rows a"), l => l.TextContent.Trim() == "Edit" && l.GetAttribute("href") == EditUrl(a.Invitation.Id));
    }

    public static TheoryData<string> Fields() => ["Name", "Expires", "FlowSlug", "FixedData", "SingleUse", "MaxUses", "Groups", "Email", "EmailDomains"];

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task Each_field_is_saved_and_the_others_stay_as_they_were(string field)
    {
        var a = await ArrangeAsync();
        using var client = await app.AdminClientAsync();
        var fields = FormFields(await client.GetPageAsync(EditUrl(a.Invitation.Id)));
        var newName = a.Invitation.Name + "-renamed";
        fields = field switch
        {
            "Name" => With(fields, "Input.Name", newName),
            "Expires" => With(fields, "Input.Expires", "2098-07-08T09:10"),
            "FlowSlug" => With(fields, "Input.FlowSlug", a.OtherFlow.Slug),
            "FixedData" => With(fields, "Input.FixedData", "name: Ann\nattributes:\n  team: red\n"),
            // Single use is max uses 1: the box checked with the field emptied.
            "SingleUse" => With(With(fields, "Input.SingleUse", "true", "false"), "Input.MaxUses", ""),
            "MaxUses" => With(fields, "Input.MaxUses", "9"),
            "Groups" => With(fields, "Input.Groups", a.Blue.Id.ToString()),
            "Email" => With(fields, "Input.Email", "bob@example.org"),
            "EmailDomains" => With(With(fields, "Input.EmailDomains", "eu.example.com\nexample.net"), "Input.Email", "ann@eu.example.com"),
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        var response = await PostAsync(client, a.Invitation.Id, fields);

        response.AssertRedirect(InvitationPages.DetailsUrl(a.Invitation.Id));
        var after = await LoadAsync(a.Invitation.Id);
        Assert.Equal(field == "Name" ? newName : a.Invitation.Name, after.Name);
        Assert.Equal(field == "Expires" ? new DateTime(2098, 7, 8, 9, 10, 0) : a.Invitation.Expires, after.Expires);
        Assert.Equal(field == "FlowSlug" ? a.OtherFlow.Id : a.Flow.Id, after.FlowId);
        Assert.Equal(field == "FixedData" ? """{"name":"Ann","attributes":{"team":"red"}}""" : """{"attributes":{"team":"blue"}}""", after.FixedData.ToJsonString());
        Assert.Equal(field switch { "SingleUse" => 1, "MaxUses" => 9, _ => 4 }, after.MaxUses);
        Assert.Equal(field == "SingleUse", after.SingleUse);
        Assert.Equal([field == "Groups" ? a.Blue.Id : a.Red.Id], after.Groups.Select(g => g.GroupId));
        Assert.Equal(field == "Email" ? "bob@example.org" : "ann@eu.example.com", after.Email);
        Assert.Equal(field == "EmailDomains" ? ["eu.example.com", "example.net"] : ["example.com", "example.org"], after.EmailDomains);

        // The invitation's page says so and shows the new values.
        var details = await client.GetPageAsync(response.Headers.Location!.OriginalString);
        Assert.Equal($"Invitation “{after.Name}” saved.", details.QuerySelector(".flash")!.TextContent.Trim());
        var text = details.QuerySelector("main")!.TextContent;
        switch (field)
        {
            case "Name": Assert.Equal($"Invitation “{newName}”", details.QuerySelector("h1")!.TextContent); break;
            case "Expires": Assert.Contains("2098-07-08 09:10 UTC", text); break;
            case "FlowSlug": Assert.Equal($"http://localhost/if/flow/{a.OtherFlow.Slug}/?itoken={a.Invitation.Id}", details.QuerySelector("#invitation-link")!.GetAttribute("value")); break;
            case "FixedData": Assert.Contains("\"team\": \"red\"", details.QuerySelector("pre")!.TextContent); break;
            case "SingleUse": Assert.Contains("Single useYes", details.QuerySelector("dl.props")!.TextContent); break;
            case "MaxUses": Assert.Contains("Max uses9", details.QuerySelector("dl.props")!.TextContent); break;
            case "Groups": Assert.Contains(a.Blue.Name, text); Assert.DoesNotContain(a.Red.Name, text); break;
            case "Email": Assert.Contains("bob@example.org", text); break;
            case "EmailDomains": Assert.Contains("eu.example.com, example.net (and their subdomains)", text); break;
        }

        // One model_updated event, naming the invitation and what it now binds.
        var updated = Assert.Single(await app.EventsAboutAsync("model_updated", a.Invitation.Id));
        Assert.Equal(after.Name, (string?)updated.Context["model"]!["name"]);
        Assert.Equal(after.Email, (string?)updated.Context["email"]);
    }

    [Fact]
    public async Task Clearing_the_optional_fields_clears_them()
    {
        var a = await ArrangeAsync();
        using var client = await app.AdminClientAsync();
        var fields = FormFields(await client.GetPageAsync(EditUrl(a.Invitation.Id)));
        fields = With(With(With(With(With(With(fields, "Input.Expires", ""), "Input.FixedData", ""), "Input.MaxUses", ""), "Input.Groups"), "Input.Email", ""), "Input.EmailDomains", "");

        (await PostAsync(client, a.Invitation.Id, fields)).AssertRedirect(InvitationPages.DetailsUrl(a.Invitation.Id));

        var after = await LoadAsync(a.Invitation.Id);
        Assert.Equal((null, null, 0, 0, null, 0), (after.Expires, after.MaxUses, after.FixedData.Count, after.Groups.Count, after.Email, after.EmailDomains.Count));
    }

    [Fact]
    public async Task An_expiry_set_to_the_second_over_the_api_is_kept_exactly_when_posted_back_unchanged()
    {
        var expires = new DateTime(2099, 1, 1, 10, 20, 30, DateTimeKind.Utc).AddTicks(1_234_560); // .123456
        var a = await ArrangeAsync(expires);
        using var client = await app.AdminClientAsync();
        var page = await client.GetPageAsync(EditUrl(a.Invitation.Id));
        Assert.Equal("2099-01-01T10:20:30.123", page.QuerySelector<IHtmlInputElement>("#Input_Expires")!.Value);

        (await PostAsync(client, a.Invitation.Id, With(FormFields(page), "Input.Name", a.Invitation.Name + "-x"))).AssertRedirect(InvitationPages.DetailsUrl(a.Invitation.Id));
        Assert.Equal(expires, (await LoadAsync(a.Invitation.Id)).Expires);
    }

    [Fact]
    public async Task An_expired_invitation_keeps_its_past_expiry_when_other_fields_change_but_cannot_be_given_another_past_one()
    {
        var past = new DateTime(2020, 5, 6, 7, 8, 0, DateTimeKind.Utc);
        var a = await ArrangeAsync(past);
        using var client = await app.AdminClientAsync();
        var fields = FormFields(await client.GetPageAsync(EditUrl(a.Invitation.Id)));

        (await PostAsync(client, a.Invitation.Id, With(fields, "Input.Email", "cat@example.com"))).AssertRedirect(InvitationPages.DetailsUrl(a.Invitation.Id));
        var after = await LoadAsync(a.Invitation.Id);
        Assert.Equal((past, "cat@example.com"), (after.Expires, after.Email));

        var before = await StateAsync(a.Invitation.Id);
        var refused = await PostAsync(client, a.Invitation.Id, With(fields, "Input.Expires", "2020-05-06T07:09"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await TestClient.ParseAsync(refused);
        Assert.Equal("This date is in the past; the invitation would be expired at once.", page.QuerySelector("[data-valmsg-for='Input.Expires']")!.TextContent.Trim());
        Assert.Equal(before, await StateAsync(a.Invitation.Id));
    }

    [Theory]
    [InlineData("Input.Name", "", "Input.Name", "Enter a name.")]
    [InlineData("Input.Name", "has space", "Input.Name", "Use only letters, digits, '-' and '_'.")]
    [InlineData("Input.Expires", "2001-01-01T00:00", "Input.Expires", "This date is in the past; the invitation would be expired at once.")]
    [InlineData("Input.Expires", "tomorrow", "Input.Expires", "Enter a date and time like 2026-12-31T17:00, or leave it empty.")]
    [InlineData("Input.FlowSlug", "", "Input.FlowSlug", "Choose the enrollment flow this invitation is for.")]
    [InlineData("Input.FlowSlug", "no-such-flow", "Input.FlowSlug", "That flow does not exist.")]
    [InlineData("Input.FixedData", "- a list", "Input.FixedData", "Line 1: expected an object (key: value pairs), found a list.")]
    [InlineData("Input.MaxUses", "0", "Input.MaxUses", "An invitation admits at least one enrollment; leave it empty for no limit.")]
    [InlineData("Input.MaxUses", "many", "Input.MaxUses", "Enter a whole number, or leave it empty for no limit.")]
    [InlineData("Input.SingleUse", "true", "Input.MaxUses", "Single use is the same as max uses 1; these two values contradict each other.")]
    [InlineData("Input.Email", "not an address", "Input.Email", "Enter a valid email address, like jane@example.com.")]
    [InlineData("Input.Email", "ann@example.net", "Input.Email", "This address is not in any of the invitation's email domains, so nobody could enroll. Change the address or the domains.")]
    [InlineData("Input.EmailDomains", "example.net", "Input.Email", "This address is not in any of the invitation's email domains, so nobody could enroll. Change the address or the domains.")]
    public async Task A_refused_value_shows_the_create_pages_message_keeps_what_was_entered_and_writes_nothing(string name, string value, string shownAt, string message)
    {
        var a = await ArrangeAsync();
        using var client = await app.AdminClientAsync();
        var fields = With(FormFields(await client.GetPageAsync(EditUrl(a.Invitation.Id))), name, value);
        if (name == "Input.SingleUse") fields = With(fields, name, "true", "false");
        var before = await StateAsync(a.Invitation.Id);

        var response = await PostAsync(client, a.Invitation.Id, fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestClient.ParseAsync(response);
        Assert.Equal(message, page.QuerySelector($"[data-valmsg-for='{shownAt}']")!.TextContent.Trim());
        if (name is not ("Input.SingleUse" or "Input.FlowSlug"))
            Assert.Equal(value, page.QuerySelector($"[name='{name}']") switch
            {
                IHtmlTextAreaElement area => area.Value,
                IHtmlInputElement input => input.Value,
                var other => other?.OuterHtml,
            });
        Assert.Equal($"Edit invitation “{a.Invitation.Name}”", page.QuerySelector("h1")!.TextContent); // the saved name
        Assert.Equal(before, await StateAsync(a.Invitation.Id));
        Assert.Empty(await app.EventsAboutAsync("model_updated", a.Invitation.Id));
    }

    [Fact]
    public async Task A_non_enrollment_flow_is_refused()
    {
        var a = await ArrangeAsync();
        var login = await app.FlowAsync(ApiJsonClient.Unique("edit-auth"), FlowDesignation.Authentication);
        using var client = await app.AdminClientAsync();
        var before = await StateAsync(a.Invitation.Id);
        var response = await PostAsync(client, a.Invitation.Id, With(FormFields(await client.GetPageAsync(EditUrl(a.Invitation.Id))), "Input.FlowSlug", login.Slug));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Choose a flow with the designation “enrollment”.", TestClient.Errors(await TestClient.ParseAsync(response)));
        Assert.Equal(before, await StateAsync(a.Invitation.Id));
    }

    [Fact]
    public async Task Max_uses_below_the_uses_already_made_is_refused_and_equal_to_them_closes_the_invitation()
    {
        var a = await ArrangeAsync();
        await app.DbAsync(db => db.Invitations.Where(i => i.Id == a.Invitation.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Uses, 3)));
        using var client = await app.AdminClientAsync();
        var page = await client.GetPageAsync(EditUrl(a.Invitation.Id));
        Assert.Equal("Used 3 times so far: max uses cannot go below that.", page.QuerySelector("#uses-so-far")!.TextContent.Trim());
        var fields = FormFields(page);
        var before = await StateAsync(a.Invitation.Id);

        var message = "This invitation has already been used 3 times; max uses cannot be lower than 3 (3 admits nobody more).";
        foreach (var refused in new[] { With(fields, "Input.MaxUses", "2"), With(With(fields, "Input.MaxUses", ""), "Input.SingleUse", "true", "false") })
        {
            var response = await PostAsync(client, a.Invitation.Id, refused);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(message, (await TestClient.ParseAsync(response)).QuerySelector("[data-valmsg-for='Input.MaxUses']")!.TextContent.Trim());
            Assert.Equal(before, await StateAsync(a.Invitation.Id));
        }

        (await PostAsync(client, a.Invitation.Id, With(fields, "Input.MaxUses", "3"))).AssertRedirect(InvitationPages.DetailsUrl(a.Invitation.Id));
        var after = await LoadAsync(a.Invitation.Id);
        Assert.Equal((3, InvitationStatus.UsedUp), (after.MaxUses, after.StatusAt(DateTime.UtcNow)));
    }

    [Fact]
    public async Task A_group_deleted_while_the_form_was_open_is_refused()
    {
        var a = await ArrangeAsync();
        using var client = await app.AdminClientAsync();
        var fields = With(FormFields(await client.GetPageAsync(EditUrl(a.Invitation.Id))), "Input.Groups", a.Red.Id.ToString(), a.Blue.Id.ToString());
        await app.DbAsync(db => db.Groups.Where(g => g.Id == a.Blue.Id).ExecuteDeleteAsync());
        var before = await StateAsync(a.Invitation.Id);

        var response = await PostAsync(client, a.Invitation.Id, fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestClient.ParseAsync(response);
        Assert.Equal("A chosen group does not exist (any more). Choose existing groups.", page.QuerySelector("[data-valmsg-for='Input.Groups']")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector($"input[name='Input.Groups'][value='{a.Red.Id}'][checked]"));
        Assert.Equal(before, await StateAsync(a.Invitation.Id));
    }

    [Fact]
    public async Task A_group_deleted_before_the_form_was_opened_is_announced_and_dropped_on_save()
    {
        var a = await ArrangeAsync();
        await app.DbAsync(db => db.Groups.Where(g => g.Id == a.Red.Id).ExecuteDeleteAsync());
        using var client = await app.AdminClientAsync();
        var page = await client.GetPageAsync(EditUrl(a.Invitation.Id));
        Assert.Contains(page.QuerySelectorAll(".warning"), w => w.TextContent.Contains("A group of this invitation no longer exists; saving removes it"));

        (await PostAsync(client, a.Invitation.Id, FormFields(page))).AssertRedirect(InvitationPages.DetailsUrl(a.Invitation.Id));
        Assert.Empty((await LoadAsync(a.Invitation.Id)).Groups);
    }

    [Fact]
    public async Task An_unknown_invitation_is_a_404_for_the_form_and_for_a_post()
    {
        var a = await ArrangeAsync();
        using var client = await app.AdminClientAsync();
        var unknown = Guid.NewGuid();
        await client.GetPageAsync(EditUrl(unknown), HttpStatusCode.NotFound);

        var page = await client.GetPageAsync(EditUrl(a.Invitation.Id));
        var fields = FormFields(page);
        fields.Add(new("__RequestVerificationToken", TestClient.AntiforgeryToken(page)));
        Assert.Equal(HttpStatusCode.NotFound, (await client.Http.PostAsync(EditUrl(unknown), new FormUrlEncodedContent(fields))).StatusCode);
        // Also with fields the form refuses: the invitation is looked for first.
        var bad = With(fields, "Input.Name", "");
        Assert.Equal(HttpStatusCode.NotFound, (await client.Http.PostAsync(EditUrl(unknown), new FormUrlEncodedContent(bad))).StatusCode);
    }

    [Theory]
    [InlineData("Name")]
    [InlineData("Groups")] // changes only the invitation's group rows, not its own
    public async Task An_invitation_deleted_while_saving_is_a_404_and_records_nothing(string change)
    {
        var a = await ArrangeAsync();
        using var client = await app.AdminClientAsync();
        var fields = FormFields(await client.GetPageAsync(EditUrl(a.Invitation.Id)));
        fields = change == "Name" ? With(fields, "Input.Name", a.Invitation.Name + "-gone") : With(fields, "Input.Groups", a.Red.Id.ToString(), a.Blue.Id.ToString());

        app.RemoveBeforeSaving = a.Invitation.Id;
        var response = await PostAsync(client, a.Invitation.Id, fields);

        Assert.Null(app.RemoveBeforeSaving); // the removal did run between the lookup and the save
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(await InvitationExistsAsync(app, a.Invitation.Id));
        Assert.Empty(await app.EventsAboutAsync("model_updated", a.Invitation.Id));
        Assert.False(await app.DbAsync(db => db.Set<InvitationGroup>().AnyAsync(g => g.InvitationId == a.Invitation.Id)));
    }

    [Fact]
    public async Task A_post_without_an_antiforgery_token_is_a_400_and_writes_nothing()
    {
        var a = await ArrangeAsync();
        using var client = await app.AdminClientAsync();
        var fields = With(FormFields(await client.GetPageAsync(EditUrl(a.Invitation.Id))), "Input.Name", a.Invitation.Name + "-forged");
        var before = await StateAsync(a.Invitation.Id);

        var response = await client.Http.PostAsync(EditUrl(a.Invitation.Id), new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await StateAsync(a.Invitation.Id));
        Assert.Empty(await app.EventsAboutAsync("model_updated", a.Invitation.Id));
    }

    [Fact]
    public async Task A_user_who_is_not_an_admin_is_refused_the_form_and_the_post()
    {
        var a = await ArrangeAsync();
        var username = ApiJsonClient.Unique("edit-plain");
        await CreateUserAsync(app, username);
        using var plain = await SignedInAsync(app, username);
        (await plain.Http.GetAsync(EditUrl(a.Invitation.Id))).AssertRedirect("http://localhost/error/403/");

        // With a valid token of their own (the sign-out form's), the post is refused all the same.
        using var admin = await app.AdminClientAsync();
        var fields = With(FormFields(await admin.GetPageAsync(EditUrl(a.Invitation.Id))), "Input.Name", a.Invitation.Name + "-taken");
        fields.Add(new("__RequestVerificationToken", TestClient.AntiforgeryToken(await plain.GetPageAsync("/if/user/"))));
        var before = await StateAsync(a.Invitation.Id);
        var response = await plain.Http.PostAsync(EditUrl(a.Invitation.Id), new FormUrlEncodedContent(fields));

        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Forbidden, response.StatusCode.ToString());
        if (response.StatusCode == HttpStatusCode.Redirect) response.AssertRedirect("http://localhost/error/403/");
        Assert.Equal(before, await StateAsync(a.Invitation.Id));
        Assert.Empty(await app.EventsAboutAsync("model_updated", a.Invitation.Id));
    }
}
