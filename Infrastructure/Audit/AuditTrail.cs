using Enrollment.Infrastructure.Identity;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;

namespace Enrollment.Infrastructure.Audit;

/// <summary>
/// Adds an audit event to the current unit of work, so the event is committed by the same SaveChanges as the
/// change it describes, or not at all.
/// </summary>
public sealed class AuditTrail(AppDbContext db, IHttpContextAccessor http)
{
    public Event Record(string action, JsonObject? context = null, User? actor = null)
    {
        var e = Create(action, context, actor);
        db.Events.Add(e);
        return e;
    }

    /// <summary>
    /// The event <see cref="Record"/> would add, without adding it: for callers that write thousands of rows at once
    /// (<see cref="BulkInsert"/>) in the same transaction as their change.
    /// </summary>
    public Event Create(string action, JsonObject? context = null, User? actor = null)
    {
        var principal = http.HttpContext?.User;
        JsonObject who = actor is not null
            ? new JsonObject { ["pk"] = actor.Id, ["username"] = actor.UserName }
            : principal?.Identity?.IsAuthenticated == true
                ? new JsonObject
                {
                    ["pk"] = principal.UserId(),
                    ["username"] = principal.Identity.Name,
                }
                : new JsonObject { ["username"] = "AnonymousUser" };
        var e = new Event
        {
            Action = action,
            User = who,
            Context = context ?? [],
            ClientIp = http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
        };
        return e;
    }

    public static JsonObject Model(string app, string name, object pk, string modelName) => new()
    {
        ["model"] = new JsonObject { ["app"] = app, ["model_name"] = modelName, ["pk"] = pk.ToString(), ["name"] = name },
    };
}
