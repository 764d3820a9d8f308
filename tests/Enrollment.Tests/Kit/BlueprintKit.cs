using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using AngleSharp.Html.Dom;
using Enrollment.Infrastructure.Blueprints;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Enrollment.Tests.Kit;

/// <summary>
/// Blueprints in tests: the tests' own (Data/tiny-enrollment.yaml, read from the source tree) and variants of it,
/// the ones the app ships, importing into a running app, the import page, and the rows an import can write.
/// </summary>
public static class BlueprintKit
{
    public static string Folder([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "Data");

    public static string TinyPath => Path.Combine(Folder(), "tiny-enrollment.yaml");

    public static string Tiny => File.ReadAllText(TinyPath);

    /// <summary>A valid flow entry first, then a group with an attribute that does not exist: the import must roll the flow back.</summary>
    public static string Failing(string slug) => $$"""
        version: 1
        metadata: {name: Failing}
        entries:
        - model: authentik_flows.flow
          identifiers: {slug: {{slug}}}
          attrs: {name: {{slug}}, title: x, designation: enrollment}
        - model: authentik_core.group
          id: bad-group
          identifiers: {name: {{slug}}-group}
          attrs: {colour: blue}
        """;

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>Posts the import form as a browser without JavaScript would: multipart, with the page's antiforgery token.</summary>
    public static async Task<HttpResponseMessage> PostImportAsync(this TestClient client, string? yaml, string? context = null, bool dryRun = false, byte[]? raw = null)
    {
        var page = await client.GetPageAsync("/if/admin/flows/import/");
        var form = new MultipartFormDataContent
        {
            { new StringContent(TestClient.AntiforgeryToken(page)), "__RequestVerificationToken" },
            { new StringContent(context ?? ""), "Context" },
        };
        if (dryRun) form.Add(new StringContent("true"), "DryRun");
        if (raw is not null || yaml is not null)
            form.Add(new ByteArrayContent(raw ?? Encoding.UTF8.GetBytes(yaml!)), "BlueprintFile", "blueprint.yaml");
        return await client.Http.PostAsync("/if/admin/flows/import/", form);
    }

    public static async Task<IHtmlDocument> OkPageAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {TestClient.Excerpt(body)}");
        return new AngleSharp.Html.Parser.HtmlParser().ParseDocument(body);
    }

    public static string LogText(this IHtmlDocument page) => page.QuerySelector("#import-log")?.TextContent ?? "";

    /// <summary>The text of a shipped blueprint, e.g. <c>example/invitation-based-enrollment.yaml</c>, as the app has it.</summary>
    public static string ShippedBlueprint(this EnrollmentApp app, string relative)
    {
        var root = app.Services.GetRequiredService<IHostEnvironment>().ContentRootPath;
        var path = new[] { root, AppContext.BaseDirectory }.Select(r => Path.Combine(r, "blueprints", relative)).FirstOrDefault(File.Exists)
                   ?? throw new Xunit.Sdk.XunitException($"blueprints/{relative} is not shipped.");
        return File.ReadAllText(path);
    }

    /// <summary>Imports <paramref name="yaml"/> with the app's own importer, in a scope of its own.</summary>
    public static async Task<BlueprintResult> ImportAsync(this EnrollmentApp app, string yaml, IReadOnlyDictionary<string, object?>? context = null, bool dryRun = false)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BlueprintImporter>().ImportAsync(yaml, context, dryRun, CancellationToken.None);
    }

    /// <summary>Imports and fails the test, showing the log, unless the import succeeded.</summary>
    public static async Task<BlueprintResult> ImportOkAsync(this EnrollmentApp app, string yaml, IReadOnlyDictionary<string, object?>? context = null)
    {
        var result = await app.ImportAsync(yaml, context);
        Assert.True(result.Success, result.ToString());
        return result;
    }

    /// <summary>Like <see cref="ImportOkAsync"/>, and the log may hold nothing but information (no warning).</summary>
    public static async Task<BlueprintResult> ImportCleanAsync(this EnrollmentApp app, string yaml, IReadOnlyDictionary<string, object?>? context = null)
    {
        var result = await app.ImportOkAsync(yaml, context);
        Assert.DoesNotContain(result.Logs, l => l.Level != BlueprintLogLevel.Info);
        return result;
    }

    /// <summary>
    /// Every row the engine can write, as text: two equal snapshots mean the import changed nothing (rows added,
    /// removed or updated, links included).
    /// </summary>
    public static Task<string> SnapshotAsync(this EnrollmentApp app) => app.DbAsync(async db =>
    {
        var lines = new List<string>();
        lines.AddRange((await db.Flows.AsNoTracking().ToListAsync()).Select(f => $"flow {f.Id} {f.Slug} {f.Name} {f.Title} {f.Designation} {f.Authentication} {f.DeniedAction} {f.Layout} {f.PolicyEngineMode}"));
        lines.AddRange((await db.FlowStageBindings.AsNoTracking().ToListAsync()).Select(b => $"binding {b.Id} {b.FlowId} {b.StageId} {b.Order} {b.EvaluateOnPlan} {b.ReEvaluatePolicies} {b.InvalidResponseAction}"));
        lines.AddRange((await db.Stages.AsNoTracking().Include(s => ((PromptStage)s).Fields).ToListAsync()).Select(s => $"stage {s.Id} {s.Name} {s.GetType().Name} " +
            (s is PromptStage p ? string.Join(",", p.Fields.Select(f => f.Id).Order()) : "")));
        lines.AddRange((await db.Prompts.AsNoTracking().ToListAsync()).Select(p => $"prompt {p.Id} {p.Name} {p.FieldKey} {p.Label} {p.Type} {p.Required} {p.Placeholder} {p.Order}"));
        lines.AddRange((await db.Policies.AsNoTracking().ToListAsync()).Select(p => $"policy {p.Id} {p.Name}"));
        lines.AddRange((await db.PolicyBindings.AsNoTracking().ToListAsync()).Select(b => $"policybinding {b.Id} {b.FlowId} {b.FlowStageBindingId} {b.PolicyId} {b.GroupId} {b.UserId} {b.Order}"));
        lines.AddRange((await db.Groups.AsNoTracking().ToListAsync()).Select(g => $"group {g.Id} {g.Name} {g.ParentId} {g.Attributes.ToJsonString()}"));
        lines.AddRange((await db.Users.AsNoTracking().Include(u => u.Groups).ToListAsync()).Select(u => $"user {u.Id} {u.UserName} {u.Email} {u.Name} {u.PasswordHash} {string.Join(",", u.Groups.Select(g => g.Id).Order())}"));
        lines.AddRange((await db.Invitations.AsNoTracking().ToListAsync()).Select(i => $"invitation {i.Id} {i.Name} {i.FlowId} {i.SingleUse} {i.Expires:O} {i.FixedData.ToJsonString()}"));
        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    });
}
