using System.Net;
using AngleSharp.Html.Dom;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static Enrollment.Tests.Features.FlowExecution.Scenarios.ScenarioKit;

namespace Enrollment.Tests.Features.Blueprints;

/// <summary>Reading the blueprints the app ships, importing them into a running app, and walking a flow of any number of stages.</summary>
public static class ShippedBlueprintKit
{
    /// <summary>The text of a shipped blueprint, e.g. <c>example/invitation-based-enrollment.yaml</c>, as the app has it.</summary>
    public static string Read(EnrollmentApp app, string relative)
    {
        var root = app.Services.GetRequiredService<IHostEnvironment>().ContentRootPath;
        var path = new[] { root, AppContext.BaseDirectory }.Select(r => Path.Combine(r, "blueprints", relative)).FirstOrDefault(File.Exists)
                   ?? throw new Xunit.Sdk.XunitException($"blueprints/{relative} is not shipped.");
        return File.ReadAllText(path);
    }

    public static async Task<BlueprintResult> ImportAsync(EnrollmentApp app, string yaml, IReadOnlyDictionary<string, object?>? context = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BlueprintImporter>().ImportAsync(yaml, context, dryRun: false, CancellationToken.None);
    }

    public static async Task<BlueprintResult> ImportOkAsync(EnrollmentApp app, string yaml, IReadOnlyDictionary<string, object?>? context = null)
    {
        var result = await ImportAsync(app, yaml, context);
        Assert.True(result.Success, result.ToString());
        Assert.DoesNotContain(result.Logs, l => l.Level != BlueprintLogLevel.Info);
        return result;
    }

    /// <summary>
    /// Opens <paramref name="link"/> as an anonymous browser and submits every stage form it is shown: each field
    /// with the answer given for it, else with what the page holds (a pre-filled value). Stops when the flow
    /// redirects out of itself, and returns that redirect and the stage pages seen.
    /// </summary>
    public static async Task<(HttpResponseMessage Done, List<IHtmlDocument> Pages)> WalkAsync(TestClient client, string link, IReadOnlyDictionary<string, string> answers)
    {
        var flowPath = FlowPath(link);
        var url = link;
        var pages = new List<IHtmlDocument>();
        var response = await client.Http.GetAsync(url);
        for (var step = 0; step < 20; step++)
        {
            if (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther)
            {
                var location = response.Headers.Location!.OriginalString;
                if (!location.StartsWith(flowPath, StringComparison.Ordinal)) return (response, pages);
                url = location;
                response = await client.Http.GetAsync(url);
                continue;
            }
            var page = await PageOf(response);
            if (Denial(page) is { } denied) throw new Xunit.Sdk.XunitException($"The flow was denied at step {step}: {denied}");
            var errors = TestClient.Errors(page);
            if (pages.Count > 0 && errors.Count > 0) throw new Xunit.Sdk.XunitException($"The stage refused the answers: {string.Join(" | ", errors)}");
            pages.Add(page);
            var names = page.QuerySelectorAll("#flow-card form [name]").Select(e => e.GetAttribute("name")!)
                .Where(n => n is not "stage" and not "__RequestVerificationToken").Distinct().ToList();
            var fields = names.Select(n => (n, answers.TryGetValue(n, out var v) ? v : InputValue(page, n) ?? "")).ToArray();
            response = await client.SubmitAsync(url, page, fields);
        }
        throw new Xunit.Sdk.XunitException("The flow did not end within 20 steps.");
    }

    public static Dictionary<string, string> Fill(string username, string? name = null, string? email = null)
    {
        var answers = new Dictionary<string, string> { ["username"] = username, ["password"] = Password, ["password_repeat"] = Password };
        if (name is not null) answers["name"] = name;
        if (email is not null) answers["email"] = email;
        return answers;
    }
}
