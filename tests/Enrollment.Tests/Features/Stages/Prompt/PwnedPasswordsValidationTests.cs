using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Stages.Prompt;

/// <summary>
/// A password policy checking Have I Been Pwned, against a range API on loopback (<see cref="LoopbackPwnedPasswords"/>):
/// only five hex digits of the hash leave the server, a password found more often than allowed is refused under its
/// field, and a service that is down or failing skips the check (logged and recorded) instead of blocking the enrollment.
/// </summary>
public sealed class PwnedPasswordsValidationTests(Hosts.WithPwnedPasswords app) : IClassFixture<Hosts.WithPwnedPasswords>
{
    private async Task<Flow> FlowCheckingAsync(string slug, int allowed)
    {
        var stage = PromptStageOf(slug, Field(slug, "password", PromptType.Password, 1), Field(slug, "password_repeat", PromptType.Password, 2));
        stage.ValidationPolicies.Add(new PasswordPolicy { Name = $"{slug}-policy", CheckStaticRules = false, CheckHaveIBeenPwned = true, HibpAllowedCount = allowed });
        var second = PromptStageOf($"{slug}-next", Field($"{slug}-next", "attributes.after"));
        return (await FlowAsync(app, slug, [stage, second])).Flow;
    }

    private async Task<IHtmlDocument> SubmitAsync(TestClient client, Flow flow, string password) =>
        await PageAfterAsync(client, await client.SubmitAsync(FlowUrl(flow), ("password", password), ("password_repeat", password)));

    private static string? ErrorOf(IHtmlDocument page) =>
        Control(page, "password").Closest(".field")!.QuerySelector(".field-error")?.TextContent.Trim();

    private static bool OnSecondStage(IHtmlDocument page) => page.QuerySelector("#flow-card [name='attributes.after']") is not null;

    [Fact]
    public async Task A_password_found_more_often_than_allowed_is_refused_and_only_the_hash_prefix_is_sent()
    {
        const string password = "hibp-found-Sunflower-42";
        app.Pwned.Breached(password, 12345);
        var flow = await FlowCheckingAsync("hibp-found", allowed: 0);
        using var client = app.NewClient();
        var before = app.Pwned.Requests.Count;

        var page = await SubmitAsync(client, flow, password);
        Assert.Equal("This password has appeared in known data breaches 12,345 times. Choose a different one.", ErrorOf(page));
        var request = Assert.Single(app.Pwned.Requests.Skip(before));
        Assert.Equal("/range/" + LoopbackPwnedPasswords.Sha1(password)[..5], request.Path);
        Assert.Equal("true", request.Padding);
        Assert.Contains("not a password known from data breaches", page.QuerySelector("#flow-card .password-rules")!.TextContent, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_password_found_no_more_often_than_allowed_passes_and_one_time_more_fails()
    {
        const string password = "hibp-allowed-Sunflower-42";
        app.Pwned.Breached(password, 3);
        using var client = app.NewClient();

        Assert.Equal("This password has appeared in known data breaches 3 times. Choose a different one.",
            ErrorOf(await SubmitAsync(client, await FlowCheckingAsync("hibp-allowed-2", allowed: 2), password)));
        Assert.True(OnSecondStage(await SubmitAsync(client, await FlowCheckingAsync("hibp-allowed-3", allowed: 3), password)));
    }

    [Fact]
    public async Task A_password_not_in_the_corpus_passes()
    {
        using var client = app.NewClient();
        Assert.True(OnSecondStage(await SubmitAsync(client, await FlowCheckingAsync("hibp-unknown", allowed: 0), "hibp-unknown-Sunflower-42")));
    }

    [Fact]
    public async Task A_service_that_is_down_or_failing_is_skipped_logged_and_recorded_never_blocking()
    {
        const string password = "hibp-down-Sunflower-42";
        app.Pwned.Breached(password, 99);
        var flow = await FlowCheckingAsync("hibp-down", allowed: 0);
        try
        {
            await app.Pwned.StopAsync();
            using (var client = app.NewClient())
                Assert.True(OnSecondStage(await SubmitAsync(client, flow, password)));
            app.Pwned.Restart();

            app.Pwned.FailWith = 503;
            using (var client = app.NewClient())
                Assert.True(OnSecondStage(await SubmitAsync(client, flow, password)));
        }
        finally
        {
            app.Pwned.FailWith = null;
            app.Pwned.Restart();
        }
        var skipped = await app.DbAsync(db => db.Events.AsNoTracking().Where(e => e.Action == "policy_exception").ToListAsync());
        Assert.Equal(2, skipped.Count(e => (string?)e.Context["policy"]?["name"] == "hibp-down-policy"));
        Assert.Contains(skipped, e => ((string?)e.Context["message"])!.Contains("Have I Been Pwned could not be reached"));

        // Up again: the same password is refused.
        using var again = app.NewClient();
        Assert.StartsWith("This password has appeared in known data breaches 99 times.", ErrorOf(await SubmitAsync(again, flow, password)));
    }
}
