using Enrollment.Infrastructure.Serialization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Events.ListEvents;

public sealed class ListEvents(ISender sender) : PageModel
{
    [BindProperty(Name = "action", SupportsGet = true)] public string? EventAction { get; set; }
    [BindProperty(Name = "user", SupportsGet = true)] public string? Username { get; set; }
    [FromQuery(Name = "page")] public int PageNumber { get; set; } = 1;
    public Result Data { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        Data = await sender.Send(new Query(EventAction, Username, PageNumber));
        return this.PageOrPartial("_EventRows", Data);
    }

    public sealed record Query(string? Action, string? Username, int Page) : IQuery<Result>;

    public sealed record Row(string Action, string? Username, string? ClientIp, DateTime Created, string ContextJson);

    public sealed record Result(string? Action, string? Username, IReadOnlyList<string> Actions, Paged<Row> Events)
    {
        public string LinkTo(int page) =>
            $"/if/admin/events/?action={Uri.EscapeDataString(Action ?? "")}&user={Uri.EscapeDataString(Username ?? "")}&page={page}";
    }

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken ct)
        {
            var events = string.IsNullOrWhiteSpace(query.Username)
                ? db.Events.AsNoTracking()
                : db.Events.FromSqlRaw(UsernameLikeSql(db), Paging.LikePattern(query.Username)).AsNoTracking();
            if (!string.IsNullOrEmpty(query.Action)) events = events.Where(e => e.Action == query.Action);
            var page = await events.OrderByDescending(e => e.Created).ThenBy(e => e.Id)
                .Select(e => new { e.Action, e.User, e.ClientIp, e.Created, e.Context })
                .ToPagedAsync(query.Page, ct: ct);
            var rows = page.Items.Select(e => new Row(e.Action, Username(e.User), e.ClientIp, e.Created, StructuredText.Format(e.Context))).ToList();
            var actions = await db.Events.AsNoTracking().Select(e => e.Action).Distinct().OrderBy(a => a).ToListAsync(ct);
            return new Result(query.Action, query.Username, actions, new Paged<Row>(rows, page.Page, page.PageSize, page.Total));
        }

        private static string? Username(JsonObject user) => user["username"] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

        // The actor is a JSON document (it outlives the user), which EF cannot query through our value converter;
        // each engine reads the username out of it with its own JSON function.
        private static string UsernameLikeSql(AppDbContext db) => db switch
        {
            PostgresAppDbContext => """SELECT * FROM "events" WHERE lower("user"->>'username') LIKE {0} ESCAPE '\'""",
            SqlServerAppDbContext => """SELECT * FROM [events] WHERE lower(JSON_VALUE([user], '$.username')) LIKE {0} ESCAPE '\'""",
            _ => """SELECT * FROM "events" WHERE lower(json_extract("user", '$.username')) LIKE {0} ESCAPE '\'""",
        };
    }
}
