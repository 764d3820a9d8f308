using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Infrastructure.Web;

/// <summary>What the list tests need to know about one admin list page.</summary>
public sealed record AdminList(
    string Key,
    string Url,
    string RowsId,
    string Noun,
    string[] EmptyStateLinks,
    bool NamesMayContainPercent)
{
    public static readonly IReadOnlyDictionary<string, AdminList> All = new Dictionary<string, AdminList>
    {
        ["flows"] = new("flows", "/if/admin/flows/", "flow-rows", "flow", ["/if/admin/flows/new/"], true),
        ["stages"] = new("stages", "/if/admin/stages/", "stage-rows", "stage",
            ["/if/admin/stages/new/invitation/", "/if/admin/stages/new/prompt/", "/if/admin/stages/new/user_write/", "/if/admin/stages/new/user_login/"], true),
        ["prompts"] = new("prompts", "/if/admin/prompts/", "prompt-rows", "prompt", ["/if/admin/prompts/new/", "/if/admin/stages/new/prompt/"], true),
        // Invitation names are restricted to letters, digits, '-' and '_' by the create form.
        ["invitations"] = new("invitations", "/if/admin/invitations/", "invitation-rows", "invitation", ["/if/admin/invitations/new/"], false),
    };

    public static TheoryData<string> Keys => new(All.Keys);

    /// <summary>The 21 plain rows that only fill the pages.</summary>
    public IEnumerable<string> FillerNames => Enumerable.Range(1, 21).Select(n => NamesMayContainPercent ? $"Row {n:00}" : $"row-{n:00}");

    /// <summary>Four rows a search can tell apart: wildcard-looking characters and mixed case.</summary>
    public string SearchUnderscore => NamesMayContainPercent ? "Search alpha_beta" : "search-alpha_beta";
    public string SearchLookalike => NamesMayContainPercent ? "Search alphaXbeta" : "search-alphaXbeta";
    public string SearchUpper => NamesMayContainPercent ? "Search ALPHA 1000" : "search-ALPHA-1000";
    public string SearchPercent => NamesMayContainPercent ? "Search Alpha 100%" : "search-Alpha-100";

    public IEnumerable<string> AllNames => FillerNames.Concat([SearchUnderscore, SearchLookalike, SearchUpper, SearchPercent]);

    /// <summary>Arranges the 25 rows of this list directly in the database.</summary>
    public Task ArrangeAsync(EnrollmentApp app) => app.DbAsync(async db =>
    {
        var n = 0;
        foreach (var name in AllNames)
        {
            n++;
            switch (Key)
            {
                case "flows":
                    db.Flows.Add(new Flow { Name = name, Slug = $"list-flow-{n:00}", Title = $"Title {n:00}" });
                    break;
                case "stages":
                    db.Stages.Add(new UserLoginStage { Name = name });
                    break;
                case "prompts":
                    db.Prompts.Add(new Prompt { Name = name, FieldKey = $"field{n:00}", Label = $"Label {n:00}" });
                    break;
                case "invitations":
                    db.Invitations.Add(new Invitation { Name = name });
                    break;
            }
        }
        await db.SaveChangesAsync();
    });

    public IElement Rows(IHtmlDocument page) =>
        page.GetElementById(RowsId) ?? throw new Xunit.Sdk.XunitException($"{Url}: no #{RowsId} on the page");

    /// <summary>The names shown in the table's first column, in order.</summary>
    public IReadOnlyList<string> Names(IHtmlDocument page) =>
        Rows(page).QuerySelectorAll("tbody tr").Select(tr => FirstColumnName(tr.QuerySelector("td")!)).ToList();

    private static string FirstColumnName(IElement cell) =>
        // Flows: <a>name</a><br><small>title</small>; invitations: <a>name</a><details>…; others: <a>name</a>.
        (cell.QuerySelector("a") ?? cell).TextContent.Trim();
}

