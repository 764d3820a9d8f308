using System.Linq.Expressions;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Features.Api.Shared;
using Enrollment.Features.Events.ExpireEvents;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Events;

/// <summary>
/// <c>/api/v3/events/events/</c>, read-only: authentik's <c>Event</c>. Filters <c>action</c>, <c>actions</c>,
/// <c>username</c> (exact), <c>client_ip</c>, <c>context_model_app</c>, <c>context_model_name</c>,
/// <c>context_model_pk</c>; newest first. <c>expires</c> is when the retention job removes the event.
/// </summary>
public sealed class EventsResource(IConfiguration config) : ApiResource<Event>
{
    public override string Path => "/events/events/";

    private int RetentionDays => config.GetValue("Events:RetentionDays", ExpireEvents.DefaultRetentionDays);

    protected override IQueryable<Event> Source(AppDbContext db) => db.Events;

    protected override Expression<Func<Event, bool>> ByKey(string key) => Guid.TryParse(key, out var id) ? e => e.Id == id : e => false;

    protected override Ordering<Event> Ordering { get; } = new Ordering<Event>("-created")
        .Field("created", e => e.Created).Field("action", e => e.Action).Field("client_ip", e => e.ClientIp);

    protected override Expression<Func<Event, object>> Tiebreak => e => e.Id;

    /// <summary>Values inside the JSON columns, read with each engine's JSON function.</summary>
    private static readonly (string Parameter, string Column, string Path)[] JsonFilters =
    [
        ("username", "user", "username"),
        ("context_model_app", "context", "model.app"),
        ("context_model_name", "context", "model.model_name"),
        ("context_model_pk", "context", "model.pk"),
    ];

    protected override IQueryable<Event> Filter(IQueryable<Event> items, ApiScope scope, FieldErrors errors)
    {
        var given = JsonFilters.Where(f => !string.IsNullOrEmpty(scope.Query[f.Parameter])).ToList();
        if (given.Count > 0)
        {
            var conditions = given.Select((f, i) => $"{JsonValue(scope.Db, f.Column, f.Path)} = {{{i}}}");
            var table = scope.Db is SqlServerAppDbContext ? "[events]" : "\"events\"";
            items = scope.Db.Events.FromSqlRaw($"SELECT * FROM {table} WHERE {string.Join(" AND ", conditions)}",
                given.Select(f => (object)scope.Query[f.Parameter].ToString()).ToArray());
        }
        if (scope.Query["action"].ToString() is { Length: > 0 } action)
        {
            var matching = EventActions.Matching(action);
            items = items.Where(e => matching.Contains(e.Action));
        }
        if (scope.Query["actions"].Count > 0)
        {
            var all = scope.Query["actions"].SelectMany(a => (a ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)).SelectMany(EventActions.Matching).ToList();
            items = items.Where(e => all.Contains(e.Action));
        }
        if (scope.Query["client_ip"].ToString() is { Length: > 0 } ip) items = items.Where(e => e.ClientIp == ip);
        if (scope.Query["search"].ToString() is { Length: > 0 } term && !string.IsNullOrWhiteSpace(term))
        {
            var like = Infrastructure.Web.Paging.LikePattern(term);
            items = items.Where(e => EF.Functions.Like(e.Action.ToLower(), like, "\\") || (e.ClientIp != null && EF.Functions.Like(e.ClientIp, like, "\\")));
        }
        return items;
    }

    private static string JsonValue(AppDbContext db, string column, string path) => db switch
    {
        // -> and ->> rather than #>> '{a,b}': braces would be read as parameter placeholders by FromSqlRaw.
        PostgresAppDbContext => PostgresPath(column, path),
        SqlServerAppDbContext => $"JSON_VALUE([{column}], '$.{path}')",
        _ => $"json_extract(\"{column}\", '$.{path}')",
    };

    private static string PostgresPath(string column, string path)
    {
        var parts = path.Split('.');
        return $"(\"{column}\"::jsonb" + string.Concat(parts[..^1].Select(p => $" -> '{p}'")) + $" ->> '{parts[^1]}')";
    }

    protected override Task<IReadOnlyList<object>> ToJsonAsync(ApiScope scope, IReadOnlyList<Event> items)
    {
        var retention = RetentionDays;
        return Task.FromResult<IReadOnlyList<object>>(items.Select(e =>
        {
            var authentik = EventActions.ToAuthentik(e.Action);
            var context = (JsonObject)e.Context.DeepClone();
            if (authentik != e.Action) context["enrollment_action"] = e.Action;
            return (object)new JsonObject
            {
                ["pk"] = e.Id.ToString(),
                ["user"] = e.User.DeepClone(),
                ["action"] = authentik,
                ["app"] = e.App,
                ["context"] = context,
                ["client_ip"] = e.ClientIp,
                ["created"] = e.Created,
                ["expires"] = retention > 0 ? e.Created.AddDays(retention) : e.Created.AddYears(100),
                ["brand"] = new JsonObject(),
            };
        }).ToList());
    }

    public override void Map(RouteGroupBuilder api)
    {
        base.Map(api);
        api.MapGet(Path + "actions/", () => Results.Json(EventActions.Recorded.Select(a => new
        {
            name = a.Label, description = a.Action, component = "", model_name = a.Action, requires_enterprise = false, deprecated = false,
        }), ApiJson.Options)).WithName(OperationId("actions_list"));
    }

    protected override (string App, string ModelName) EventModel => ("authentik_events", "event");

    protected override string Describe(Event entity) => entity.Action;

    protected override object PkOf(Event entity) => entity.Id;
}
