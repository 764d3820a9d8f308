using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Features.Policies.PolicyPages;

namespace Enrollment.Tests.Features.Policies;

/// <summary>
/// Password policies on the policies pages: created with authentik's defaults offered, listed and shown with their
/// own edit page, edited, deleted; bad numbers and names are refused with a message under their field and nothing saved.
/// </summary>
[Collection(PoliciesCollection.Name)]
public sealed class PasswordPolicyAdminTests(Hosts.Default app)
{
    private const string New = "/if/admin/policies/new/password/";

    private static (string, string)[] Fields(string name, int lengthMin = 12, int threshold = 2, string field = "password",
        int digits = 1, int hibp = 0, string charset = "!#%", string message = "") =>
    [
        ("Input.Name", name), ("Input.PasswordField", field), ("Input.CheckStaticRules", "true"), ("Input.LengthMin", lengthMin.ToString()),
        ("Input.AmountDigits", digits.ToString()), ("Input.AmountUppercase", "0"), ("Input.AmountLowercase", "0"), ("Input.AmountSymbols", "1"),
        ("Input.SymbolCharset", charset), ("Input.ErrorMessage", message), ("Input.CheckZxcvbn", "true"),
        ("Input.ZxcvbnScoreThreshold", threshold.ToString()), ("Input.CheckHaveIBeenPwned", "true"), ("Input.HibpAllowedCount", hibp.ToString()),
        ("Input.ExecutionLogging", "false"),
    ];

    private static string? ErrorFor(AngleSharp.Html.Dom.IHtmlDocument page, string field) =>
        page.QuerySelector($"[data-valmsg-for='Input.{field}']")?.TextContent.Trim();

    [Fact]
    public async Task Admin_creates_a_password_policy_from_authentiks_defaults_and_finds_it_listed_shown_and_offered()
    {
        using var client = await app.AdminClientAsync();
        var list = await client.GetPageAsync("/if/admin/policies/");
        Assert.NotNull(list.QuerySelector($"a[href='{New}']"));

        var form = await client.GetPageAsync(New);
        Assert.Equal("password", form.QuerySelector("input[name='Input.PasswordField']")!.GetAttribute("value"));
        Assert.NotNull(form.QuerySelector("input[name='Input.CheckStaticRules'][checked]"));
        Assert.Null(form.QuerySelector("input[name='Input.CheckZxcvbn'][checked]"));
        Assert.Equal("2", form.QuerySelector("input[name='Input.ZxcvbnScoreThreshold']")!.GetAttribute("value"));
        Assert.Equal(PasswordPolicy.DefaultSymbolCharset, form.QuerySelector("input[name='Input.SymbolCharset']")!.GetAttribute("value"));

        var response = await client.PostFormAsync(New, Fields("Strong passwords", message: "  Twelve characters, a digit and one of !#%.  "));
        response.AssertRedirect("/if/admin/policies/");
        var policy = await app.DbAsync(db => db.Policies.OfType<PasswordPolicy>().SingleAsync(p => p.Name == "Strong passwords"));
        Assert.Equal(("password", true, 12, 1, 1, "!#%", "Twelve characters, a digit and one of !#%.", true, 2, true, 0),
            (policy.PasswordField, policy.CheckStaticRules, policy.LengthMin, policy.AmountDigits, policy.AmountSymbols, policy.SymbolCharset,
             policy.ErrorMessage, policy.CheckZxcvbn, policy.ZxcvbnScoreThreshold, policy.CheckHaveIBeenPwned, policy.HibpAllowedCount));
        Assert.Equal($"/if/admin/policies/{policy.Id}/", response.Headers.Location!.OriginalString);
        Assert.Equal(["model_created authentik_policies_password.passwordpolicy"], await EventsAboutAsync(app, policy.Id));

        var details = await client.GetPageAsync($"/if/admin/policies/{policy.Id}/");
        Assert.StartsWith("Password policy", details.QuerySelector("h1")!.TextContent);
        Assert.Equal("At least 12 characters, 1 digit and 1 symbol; avoid common words and patterns; not a password known from data breaches.",
            details.QuerySelector("#password-policy-hint")!.TextContent.Trim());
        Assert.NotNull(details.QuerySelector($"a[href='/if/admin/policies/{policy.Id}/edit/password/']"));
        Assert.Null(details.QuerySelector("#policy-test"));

        var row = (await client.GetPageAsync("/if/admin/policies/?q=strong+passwords")).QuerySelectorAll("#policy-rows tbody tr").Single();
        Assert.Equal(["Strong passwords", "Password policy", "0", "Not used"], row.QuerySelectorAll("td").Take(4).Select(td => td.TextContent.Trim()));
        Assert.NotNull(row.QuerySelector($"a[href='/if/admin/policies/{policy.Id}/edit/password/']"));
        Assert.DoesNotContain(row.QuerySelectorAll("a"), a => a.TextContent == "Test");
        // The Test panel is the expression's: a password policy has none, and posting to it finds nothing.
        var test = await client.Http.PostAsync(TestAction(policy.Id), new FormUrlEncodedContent(
            [new("__RequestVerificationToken", TestClient.AntiforgeryToken(details)), new("Test.Username", ""), new("Test.Context", "")]));
        Assert.Equal(HttpStatusCode.NotFound, test.StatusCode);

        var stageForm = await client.GetPageAsync("/if/admin/stages/new/prompt/");
        Assert.NotNull(stageForm.QuerySelector($"input[name='Input.ValidationPolicies'][value='{policy.Id}']"));
    }

    [Fact]
    public async Task Negative_counts_a_threshold_outside_0_to_3_an_empty_field_key_and_a_taken_name_are_refused_with_nothing_saved()
    {
        using var client = await app.AdminClientAsync();
        var response = await client.PostFormAsync(New, Fields("Bad numbers", lengthMin: -1, threshold: 4, field: "", digits: -3, hibp: -2));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestClient.ParseAsync(response);
        Assert.Equal("Enter 0 or more.", ErrorFor(page, "LengthMin"));
        Assert.Equal("Enter 0 or more.", ErrorFor(page, "AmountDigits"));
        Assert.Equal("Enter 0 or more.", ErrorFor(page, "HibpAllowedCount"));
        Assert.StartsWith("Choose a threshold from 0 to 3", ErrorFor(page, "ZxcvbnScoreThreshold"));
        Assert.StartsWith("Enter the field key", ErrorFor(page, "PasswordField"));
        Assert.Equal("Bad numbers", page.QuerySelector("input[name='Input.Name']")!.GetAttribute("value"));
        Assert.Equal("-1", page.QuerySelector("input[name='Input.LengthMin']")!.GetAttribute("value"));

        var notANumber = await TestClient.ParseAsync(await client.PostFormAsync(New, [.. Fields("Bad text").Where(f => f.Item1 != "Input.LengthMin"), ("Input.LengthMin", "twelve")]));
        Assert.False(string.IsNullOrEmpty(ErrorFor(notANumber, "LengthMin")));
        var emptyCharset = await TestClient.ParseAsync(await client.PostFormAsync(New, Fields("Bad charset", charset: "")));
        Assert.Equal("Enter the characters that count as symbols.", ErrorFor(emptyCharset, "SymbolCharset"));

        await CreateAsync(app, client, "Taken policy name");
        var taken = await TestClient.ParseAsync(await client.PostFormAsync(New, Fields("Taken policy name")));
        Assert.Equal("A policy with this name already exists.", ErrorFor(taken, "Name"));

        Assert.False(await app.DbAsync(db => db.Policies.OfType<PasswordPolicy>().AnyAsync(p => p.Name.StartsWith("Bad ") || p.Name == "Taken policy name")));
    }

    [Fact]
    public async Task Admin_edits_a_password_policy_and_a_bad_edit_changes_nothing()
    {
        using var client = await app.AdminClientAsync();
        (await client.PostFormAsync(New, Fields("Editable password policy"))).AssertRedirect("/if/admin/policies/");
        var id = await app.DbAsync(db => db.Policies.Where(p => p.Name == "Editable password policy").Select(p => p.Id).SingleAsync());
        var edit = $"/if/admin/policies/{id}/edit/password/";

        var form = await client.GetPageAsync(edit);
        Assert.Equal("12", form.QuerySelector("input[name='Input.LengthMin']")!.GetAttribute("value"));
        var bad = await TestClient.ParseAsync(await client.PostFormAsync(edit, Fields("Renamed password policy", threshold: -1)));
        Assert.StartsWith("Choose a threshold", ErrorFor(bad, "ZxcvbnScoreThreshold"));
        Assert.Equal(12, await app.DbAsync(db => db.Policies.OfType<PasswordPolicy>().Where(p => p.Id == id).Select(p => p.LengthMin).SingleAsync()));

        (await client.PostFormAsync(edit, Fields("Renamed password policy", lengthMin: 16, threshold: 3, field: "new_password"))).AssertRedirect($"/if/admin/policies/{id}/");
        var policy = await app.DbAsync(db => db.Policies.OfType<PasswordPolicy>().SingleAsync(p => p.Id == id));
        Assert.Equal(("Renamed password policy", 16, 3, "new_password"), (policy.Name, policy.LengthMin, policy.ZxcvbnScoreThreshold, policy.PasswordField));
        Assert.Contains("model_updated authentik_policies_password.passwordpolicy", await EventsAboutAsync(app, id));

        // An expression policy has no password form, and a password policy no expression form.
        var expression = await CreateAsync(app, client, "Not a password policy");
        await client.GetPageAsync($"/if/admin/policies/{expression}/edit/password/", HttpStatusCode.NotFound);
        await client.GetPageAsync($"/if/admin/policies/{id}/edit/", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Admin_deletes_a_password_policy_and_a_post_without_the_antiforgery_token_is_refused()
    {
        using var client = await app.AdminClientAsync();
        (await client.PostFormAsync(New, Fields("Doomed password policy"))).AssertRedirect("/if/admin/policies/");
        var id = await app.DbAsync(db => db.Policies.Where(p => p.Name == "Doomed password policy").Select(p => p.Id).SingleAsync());

        var forged = await client.Http.PostAsync(New, new FormUrlEncodedContent(Fields("Forged password policy").Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.False(await app.DbAsync(db => db.Policies.AnyAsync(p => p.Name == "Forged password policy")));

        (await client.PostFormAsync($"/if/admin/policies/{id}/delete/")).AssertRedirect("/if/admin/policies/");
        Assert.False(await app.DbAsync(db => db.Policies.AnyAsync(p => p.Id == id)));
        Assert.Contains("model_deleted authentik_policies_password.passwordpolicy", await EventsAboutAsync(app, id));
    }
}
