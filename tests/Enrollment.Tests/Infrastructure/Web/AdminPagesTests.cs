using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Enrollment.Tests.Infrastructure.Web;

/// <summary>
/// Every admin page, discovered from the running app's endpoints: anonymous visitors are sent to sign in, and every
/// form an admin can post carries an antiforgery token.
/// </summary>
public sealed class AdminPagesTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    public sealed record Ids(string FlowSlug, Guid BindingId, Guid PolicyBindingId, Guid StageId, Guid PromptId, Guid InvitationId,
        int UserId, Guid GroupId, Guid TokenId, Guid BulkInvitationId, Guid DeliveryId, Guid PolicyId, Guid PasswordPolicyId);

    /// <summary>One of everything an admin page can be about, so every route can be filled with a real value.</summary>
    private Task<Ids> ArrangeAsync() => app.ArrangeOnceAsync(nameof(AdminPagesTests), () => app.DbAsync(async db =>
    {
        var flow = new Flow { Name = "Routes flow", Slug = "routes-flow", Title = "Routes" };
        var prompt = new Prompt { Name = "routes-prompt", FieldKey = "username", Label = "Username" };
        var stage = new PromptStage { Name = "routes-prompt-stage", Fields = [prompt] };
        var binding = new FlowStageBinding { Flow = flow, Stage = stage, Order = 10 };
        var policy = new ExpressionPolicy { Name = "routes-policy", Expression = "return True" };
        var policyBinding = new PolicyBinding { Flow = flow, Policy = policy, Order = 0 };
        var passwordPolicy = new PasswordPolicy { Name = "routes-password-policy", CheckZxcvbn = true };
        var invitation = new Invitation { Name = "routes-invitation", Flow = flow };
        var group = new Group { Name = "routes-group" };
        var user = new User { UserName = "routes-user", NormalizedUserName = "ROUTES-USER", Name = "Routes User", Groups = [group] };
        var token = new Token { Identifier = "routes-token", KeyHash = new string('0', 64), User = user };
        var bulk = new BulkInvitation { Flow = flow, Total = 1, Rejected = [new JsonObject { ["row"] = 2, ["value"] = "x", ["error"] = "bad" }] };
        // A failed email, so the deliveries table shows a Resend form.
        var delivery = new InvitationDelivery
        {
            Invitation = invitation, BulkInvitation = bulk, Email = "routes@example.com", BaseUrl = "http://localhost", State = DeliveryState.Failed, Attempts = 1, LastError = "550 refused",
        };
        db.AddRange(flow, prompt, stage, binding, policy, policyBinding, passwordPolicy, invitation, group, user, token, bulk, delivery);
        await db.SaveChangesAsync();
        return new Ids(flow.Slug, binding.Id, policyBinding.Id, stage.Id, prompt.Id, invitation.Id, user.Id, group.Id, token.Id, bulk.Id, delivery.Id, policy.Id, passwordPolicy.Id);
    }));

    [Fact]
    public void The_discovered_admin_pages_are_the_ones_declared_in_the_sources()
    {
        var discovered = AdminRoutes.Discover(app).Select(AdminRoutes.Template).Order(StringComparer.Ordinal).ToList();
        Assert.True(discovered.Count >= 20, "Found only: " + string.Join(", ", discovered));
        Assert.Contains("/if/admin/", discovered);
        Assert.Contains("/if/admin/flows/{slug}/bindings/", discovered);
        var declared = AdminRoutes.FromSources();
        if (declared is not null) Assert.Equal(declared, discovered);
    }

    [Fact]
    public async Task Every_admin_page_sends_anonymous_visitors_to_the_login_page()
    {
        using var client = app.NewClient();
        var failures = new List<string>();
        foreach (var pattern in AdminRoutes.Discover(app))
        {
            // Random values: the redirect must come before the page looks anything up.
            var url = AdminRoutes.Url(pattern, (_, p) => p.IsOptional ? null : RandomValue(p));
            var response = await client.Http.GetAsync(url);
            var expected = "http://localhost/if/login/?next=" + Uri.EscapeDataString(url);
            if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString != expected)
                failures.Add($"GET {url}: {(int)response.StatusCode} {response.Headers.Location}");
            // Nor may a POST get past the login, with or without a token.
            var post = await client.Http.PostAsync(url, new FormUrlEncodedContent([]));
            if ((int)post.StatusCode is >= 200 and < 300 or >= 500 || post.Headers.Location?.OriginalString is { } l && !l.StartsWith("http://localhost/if/login/"))
                failures.Add($"POST {url}: {(int)post.StatusCode} {post.Headers.Location}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Every_admin_page_opens_for_the_admin_and_its_post_forms_carry_an_antiforgery_token()
    {
        var ids = await ArrangeAsync();
        using var client = await app.AdminClientAsync();
        var failures = new List<string>();
        var postForms = 0;
        foreach (var pattern in AdminRoutes.Discover(app))
        {
            foreach (var url in ArrangedUrls(pattern, ids))
            {
                var response = await client.Http.GetAsync(url);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"GET {url}: {(int)response.StatusCode}");
                    continue;
                }
                var page = await TestClient.ParseAsync(response);
                // The CSP allows neither inline scripts nor inline styles: a page that used them would break.
                foreach (var inline in page.QuerySelectorAll("script:not([src]), [style]"))
                    failures.Add($"GET {url}: inline {inline.OuterHtml[..Math.Min(80, inline.OuterHtml.Length)]}");
                foreach (var form in page.QuerySelectorAll("form"))
                {
                    var method = form.GetAttribute("method") ?? "get";
                    if (!method.Equals("post", StringComparison.OrdinalIgnoreCase)) continue;
                    postForms++;
                    var tokens = form.QuerySelectorAll("input[type=hidden][name=__RequestVerificationToken]");
                    if (tokens.Length != 1 || string.IsNullOrEmpty(tokens[0].GetAttribute("value")))
                        failures.Add($"GET {url}: a form posting to {form.GetAttribute("action") ?? "(itself)"} has {tokens.Length} antiforgery token(s)");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(postForms > 20, $"Only {postForms} post forms were checked");
    }

    private static string RandomValue(RoutePatternParameterPart p) =>
        p.ParameterPolicies.Any(x => x.Content == "guid") ? Guid.NewGuid().ToString()
        : p.ParameterPolicies.Any(x => x.Content == "int") ? Random.Shared.Next(100_000, 1_000_000).ToString()
        : p.Name == "change" ? "deactivate"
        : "r" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>
    /// The URLs of a page filled with the arranged data. A route with a parameter this does not know fails the test,
    /// so whoever adds such a page says here which data it shows.
    /// </summary>
    private static IEnumerable<string> ArrangedUrls(RoutePattern pattern, Ids ids) =>
        new[] { "invitation", "prompt", "user_write", "user_login" }
            .SelectMany(kind => ArrangedUrls(pattern, ids, kind))
            .Distinct();

    private static IEnumerable<string> ArrangedUrls(RoutePattern pattern, Ids ids, string kind)
    {
        string? Value(string? before, RoutePatternParameterPart p, bool fillOptional) => (before, p.Name) switch
        {
            ("flows", "slug") => ids.FlowSlug,
            ("bindings", "id") => ids.BindingId.ToString(),
            ("policies", "bindingId") => fillOptional ? ids.BindingId.ToString() : null,
            ("policies", "id") when AdminRoutes.Template(pattern).EndsWith("/edit/password/") => ids.PasswordPolicyId.ToString(),
            ("policies", "id") => ids.PolicyId.ToString(),
            ("delete", "id") when AdminRoutes.Template(pattern).Contains("/policies/") => ids.PolicyBindingId.ToString(),
            ("stages", "id") => ids.StageId.ToString(),
            ("prompts", "id") => ids.PromptId.ToString(),
            ("invitations", "id") => ids.InvitationId.ToString(),
            ("bulk", "id") => ids.BulkInvitationId.ToString(),
            ("deliveries", "deliveryId") => ids.DeliveryId.ToString(),
            ("users", "id") => ids.UserId.ToString(),
            ("users", "change") => "deactivate",
            ("groups", "id") => ids.GroupId.ToString(),
            ("tokens", "id") => ids.TokenId.ToString(),
            ("new", "kind") when AdminRoutes.Template(pattern).StartsWith("/if/admin/stages/") => kind,
            _ => throw new Xunit.Sdk.XunitException($"{pattern.RawText}: no arranged value for {{{p.Name}}} after '{before}'. Arrange one in {nameof(ArrangeAsync)}."),
        };
        // Pages that need a query string to know what they are about.
        var query = AdminRoutes.Template(pattern) == "/if/admin/blueprints/apply/" ? "?path=default/invitation-enrollment-minimal.yaml" : "";
        yield return AdminRoutes.Url(pattern, (before, p) => Value(before, p, fillOptional: false)) + query;
        if (pattern.Parameters.Any(p => p.IsOptional))
            yield return AdminRoutes.Url(pattern, (before, p) => Value(before, p, fillOptional: true));
    }
}
