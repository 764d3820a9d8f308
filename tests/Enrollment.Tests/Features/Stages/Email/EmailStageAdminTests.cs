using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Stages.Email;

/// <summary>Creating and editing email stages in the admin console: every field, the password never shown, validation.</summary>
[Collection(StagesCollection.Name)]
public sealed class EmailStageAdminTests(Hosts.Default app)
{
    private const string Secret = "smtp-Secret-123";

    private static (string, string)[] Fields(string name, params (string, string)[] overrides)
    {
        var fields = new Dictionary<string, string>
        {
            ["Input.Name"] = name,
            ["Input.UseGlobalSettings"] = "false",
            ["Input.Host"] = "smtp.example.com",
            ["Input.Port"] = "587",
            ["Input.Username"] = "mailer",
            ["Input.Password"] = Secret,
            ["Input.UseTls"] = "true",
            ["Input.UseSsl"] = "false",
            ["Input.Timeout"] = "20",
            ["Input.FromAddress"] = "Example <noreply@example.com>",
            ["Input.TokenExpiry"] = "45",
            ["Input.Subject"] = "Confirm your address",
            ["Input.Template"] = "email/password_reset.html",
            ["Input.ActivateUserOnSuccess"] = "true",
        };
        foreach (var (k, v) in overrides) fields[k] = v;
        return fields.Select(kv => (kv.Key, kv.Value)).ToArray();
    }

    private Task<EmailStage> StageAsync(string name) => app.DbAsync(db => db.Stages.OfType<EmailStage>().AsNoTracking().SingleAsync(s => s.Name == name));

    [Fact]
    public async Task Admin_creates_an_email_stage_with_every_field_and_the_list_offers_the_kind()
    {
        using var client = await app.AdminClientAsync();
        var list = await client.GetPageAsync("/if/admin/stages/");
        Assert.NotNull(list.QuerySelector("a[href='/if/admin/stages/new/email/']"));

        (await client.PostFormAsync("/if/admin/stages/new/email/", Fields("mail-all"))).AssertRedirect("/if/admin/stages/");

        var stage = await StageAsync("mail-all");
        Assert.Equal((false, "smtp.example.com", 587, "mailer", Secret, true, false, 20), (stage.UseGlobalSettings, stage.Host, stage.Port, stage.Username, stage.Password, stage.UseTls, stage.UseSsl, stage.Timeout));
        Assert.Equal(("Example <noreply@example.com>", 45, "Confirm your address", "email/password_reset.html", true),
            (stage.FromAddress, stage.TokenExpiry, stage.Subject, stage.Template, stage.ActivateUserOnSuccess));
        var created = await app.DbAsync(db => db.Events.AsNoTracking().Where(e => e.Action == "model_created").ToListAsync());
        Assert.Contains(created, e => (string?)e.Context["model"]?["model_name"] == "emailstage" && (string?)e.Context["model"]?["name"] == "mail-all");
        var rows = await client.GetHtmlAsync("/if/admin/stages/?q=mail-all");
        Assert.Contains("Email stage", rows);
    }

    [Fact]
    public async Task The_edit_form_never_shows_the_password_and_an_empty_field_keeps_it()
    {
        using var client = await app.AdminClientAsync();
        (await client.PostFormAsync("/if/admin/stages/new/email/", Fields("mail-secret"))).AssertRedirect("/if/admin/stages/");
        var stage = await StageAsync("mail-secret");

        var html = await client.GetHtmlAsync($"/if/admin/stages/{stage.Id}/edit/");
        Assert.DoesNotContain(Secret, html);
        var edit = await TestClient.ParseAsync(new HttpResponseMessage { Content = new StringContent(html) });
        var password = edit.QuerySelector("input[name='Input.Password']")!;
        Assert.Equal("password", password.GetAttribute("type"));
        Assert.True(string.IsNullOrEmpty(password.GetAttribute("value")));
        Assert.Equal("mailer", edit.QuerySelector("input[name='Input.Username']")!.GetAttribute("value"));
        Assert.Equal("45", edit.QuerySelector("input[name='Input.TokenExpiry']")!.GetAttribute("value"));

        // Saved with the password field left empty: the stored one stays.
        (await client.PostFormAsync($"/if/admin/stages/{stage.Id}/edit/", Fields("mail-secret", ("Input.Password", ""), ("Input.Port", "2525"))))
            .AssertRedirect("/if/admin/stages/");
        stage = await StageAsync("mail-secret");
        Assert.Equal((2525, Secret), (stage.Port, stage.Password));

        // A new one replaces it; a validation error does not echo it either.
        var invalid = await client.PostFormAsync($"/if/admin/stages/{stage.Id}/edit/", Fields("mail-secret", ("Input.Password", "other-Secret-456"), ("Input.Port", "-1")));
        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        Assert.DoesNotContain("other-Secret-456", await invalid.Content.ReadAsStringAsync());
        (await client.PostFormAsync($"/if/admin/stages/{stage.Id}/edit/", Fields("mail-secret", ("Input.Password", "other-Secret-456"))))
            .AssertRedirect("/if/admin/stages/");
        Assert.Equal("other-Secret-456", (await StageAsync("mail-secret")).Password);

        // Removing it is explicit.
        (await client.PostFormAsync($"/if/admin/stages/{stage.Id}/edit/", Fields("mail-secret", ("Input.Password", ""), ("Input.ClearPassword", "true"))))
            .AssertRedirect("/if/admin/stages/");
        Assert.Equal("", (await StageAsync("mail-secret")).Password);
    }

    [Theory]
    [InlineData("Input.FromAddress", "not an address", "is not a valid sender address")]
    [InlineData("Input.FromAddress", "a@example.com\r\nBcc: victim@example.com", "is not a valid sender address")]
    [InlineData("Input.FromAddress", "", "Enter the sender's address.")]
    [InlineData("Input.Port", "-1", "Enter a port between 1 and 65535.")]
    [InlineData("Input.Port", "70000", "Enter a port between 1 and 65535.")]
    [InlineData("Input.Timeout", "-5", "Enter a timeout between 1 and 3600 seconds.")]
    [InlineData("Input.TokenExpiry", "0", "Enter a number of minutes between 1 and 525600.")]
    [InlineData("Input.Template", "../appsettings.json", "Enter a template name like email/account_confirmation.html")]
    [InlineData("Input.Template", "email/missing.html", "There is no email template \"email/missing.html\".")]
    [InlineData("Input.Subject", "two\nlines", "The subject must be one line of text.")]
    [InlineData("Input.UseSsl", "true", "Choose either TLS (STARTTLS, usually port 587) or SSL (usually port 465), not both.")]
    public async Task Invalid_values_are_explained_next_to_their_field_and_nothing_is_saved(string field, string value, string message)
    {
        using var client = await app.AdminClientAsync();
        var name = "mail-bad-" + Guid.NewGuid().ToString("N")[..6];

        var response = await client.PostFormAsync("/if/admin/stages/new/email/", Fields(name, (field, value)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestClient.ParseAsync(response);
        Assert.Contains(message, page.QuerySelector($"[data-valmsg-for='{field}']")?.TextContent ?? string.Join(" | ", TestClient.Errors(page)));
        Assert.False(await app.DbAsync(db => db.Stages.AnyAsync(s => s.Name == name)));
    }

    [Theory]
    [InlineData("email/account_confirmation.html")]
    [InlineData("email/password_reset.html")]
    [InlineData("email/setup.html")] // authentik's built-in name, sent as the account confirmation
    public async Task Built_in_templates_are_accepted(string template)
    {
        using var client = await app.AdminClientAsync();
        var name = "mail-tpl-" + Guid.NewGuid().ToString("N")[..6];
        (await client.PostFormAsync("/if/admin/stages/new/email/", Fields(name, ("Input.Template", template)))).AssertRedirect("/if/admin/stages/");
        Assert.Equal(template, (await StageAsync(name)).Template);
    }
}
