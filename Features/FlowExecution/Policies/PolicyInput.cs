using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.FlowExecution.Policies;

/// <summary>
/// Turns what the server knows (a user id, a plan context) into the data an expression sees: authentik's names,
/// with the invitation and the pending user as objects rather than keys, and the user's groups (and the groups
/// above them, for <c>ak_is_group_member</c>). Passwords in <c>prompt_data</c> show as <see cref="PasswordValue.Mask"/>.
/// </summary>
public sealed class PolicyInput(AppDbContext db, IHttpContextAccessor http)
{
    public async Task<JsonObject> BuildAsync(int? userId, JsonObject context, CancellationToken ct, JsonObject? promptContext = null)
    {
        var ctx = (JsonObject)context.DeepClone();
        ctx.Remove("query"); // our own bookkeeping, not authentik's
        // Expressions see that a password was entered, never its hash.
        if (ctx[PlanContext.PromptDataKey] is JsonObject promptData) ctx[PlanContext.PromptDataKey] = PasswordValue.Masked(promptData);
        if (Guid.TryParse((string?)(ctx["invitation"] as JsonValue), out var invitationId))
            ctx["invitation"] = await InvitationAsync(invitationId, ct);
        if (ctx["pending_user"] is JsonValue pending && pending.TryGetValue<int>(out var pendingId))
            ctx["pending_user"] = await UserAsync(pendingId, ct);

        var request = http.HttpContext?.Request;
        var input = new JsonObject
        {
            ["user"] = userId is { } id ? await UserAsync(id, ct) : new JsonObject { ["username"] = "AnonymousUser", ["is_authenticated"] = false },
            ["context"] = ctx,
            ["client_ip"] = http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
            ["http_request"] = request is null ? null : new JsonObject { ["method"] = request.Method, ["path"] = request.Path.Value, ["query"] = request.QueryString.Value },
        };
        if (promptContext is not null) input["prompt_context"] = PasswordValue.Masked(promptContext);
        return input;
    }

    /// <summary><c>ak_user_by(**filters)</c>: the filters authentik's documentation uses, one user or none.</summary>
    public string? LookupUser(string filtersJson)
    {
        if (JsonNode.Parse(filtersJson) is not JsonObject filters) return null;
        var users = db.Users.AsNoTracking().AsQueryable();
        foreach (var (key, value) in filters)
        {
            var text = value?.ToString() ?? "";
            users = key switch
            {
                "username" => users.Where(u => u.UserName == text),
                "email" => users.Where(u => u.Email == text),
                "name" => users.Where(u => u.Name == text),
                "pk" or "id" when int.TryParse(text, out var pk) => users.Where(u => u.Id == pk),
                "is_active" => users.Where(u => u.IsActive == (text == "true" || text == "True")),
                "path" => users.Where(u => u.Path == text),
                _ => throw new ArgumentException($"ak_user_by does not support the filter \"{key}\""),
            };
        }
        var ids = users.Select(u => u.Id).Take(2).ToList();
        return ids.Count == 1 ? UserAsync(ids[0], CancellationToken.None).GetAwaiter().GetResult()?.ToJsonString() : null;
    }

    private async Task<JsonNode?> InvitationAsync(Guid id, CancellationToken ct)
    {
        var i = await db.Invitations.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new { x.Id, x.Name, x.FixedData, x.Expires, x.SingleUse, FlowSlug = x.Flow != null ? x.Flow.Slug : null })
            .SingleOrDefaultAsync(ct);
        return i is null ? null : new JsonObject
        {
            ["pk"] = i.Id.ToString(),
            ["invite_uuid"] = i.Id.ToString(),
            ["name"] = i.Name,
            ["fixed_data"] = i.FixedData.DeepClone(),
            ["expires"] = i.Expires?.ToString("O"),
            ["single_use"] = i.SingleUse,
            ["flow"] = i.FlowSlug,
        };
    }

    private async Task<JsonObject?> UserAsync(int id, CancellationToken ct)
    {
        var u = await db.Users.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new { x.Id, x.UserName, x.Name, x.Email, x.IsActive, x.Path, x.Type, x.Attributes, Groups = x.Groups.Select(g => new { g.Id, g.Name, g.IsSuperuser, g.ParentId, g.Attributes }).ToList() })
            .SingleOrDefaultAsync(ct);
        if (u is null) return null;
        var all = new JsonArray();
        if (u.Groups.Count > 0)
        {
            var groups = await db.Groups.AsNoTracking().Select(g => new { g.Id, g.Name, g.IsSuperuser, g.ParentId, g.Attributes }).ToDictionaryAsync(g => g.Id, ct);
            var seen = new HashSet<Guid>();
            foreach (var start in u.Groups)
                for (Guid? gid = start.Id; gid is { } current && seen.Add(current) && groups.TryGetValue(current, out var g); gid = g.ParentId)
                    all.Add(Group(g.Id, g.Name, g.IsSuperuser, g.Attributes));
        }
        return new JsonObject
        {
            ["pk"] = u.Id,
            ["username"] = u.UserName,
            ["name"] = u.Name,
            ["email"] = u.Email ?? "",
            ["is_active"] = u.IsActive,
            ["is_superuser"] = u.Groups.Any(g => g.IsSuperuser),
            ["path"] = u.Path,
            ["type"] = Wire.Name(u.Type),
            ["attributes"] = u.Attributes.DeepClone(),
            ["is_authenticated"] = true,
            ["groups"] = new JsonArray([.. u.Groups.Select(g => (JsonNode)Group(g.Id, g.Name, g.IsSuperuser, g.Attributes))]),
            ["all_groups"] = all,
        };
    }

    private static JsonObject Group(Guid id, string name, bool superuser, JsonObject attributes) => new()
    {
        ["pk"] = id.ToString(), ["name"] = name, ["is_superuser"] = superuser, ["attributes"] = attributes.DeepClone(),
    };
}
