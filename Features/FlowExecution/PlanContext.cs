using System.Text.Json.Nodes;

namespace Enrollment.Features.FlowExecution;

/// <summary>Typed access to a plan's context, which is stored as authentik names it (<c>prompt_data</c>, …).</summary>
public sealed class PlanContext(JsonObject data)
{
    public const string PromptDataKey = "prompt_data";

    public JsonObject Data { get; } = data;

    public JsonObject PromptData
    {
        get
        {
            if (Data[PromptDataKey] is JsonObject o) return o;
            var created = new JsonObject();
            Data[PromptDataKey] = created;
            return created;
        }
        set => Data[PromptDataKey] = value;
    }

    public bool HasPromptData => Data[PromptDataKey] is JsonObject;

    public Guid? InvitationId
    {
        get => Guid.TryParse((string?)Data["invitation"], out var g) ? g : null;
        set => Data["invitation"] = value?.ToString();
    }

    public bool InvitationInEffect
    {
        get => Data["invitation_in_effect"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        set => Data["invitation_in_effect"] = value;
    }

    public int? PendingUserId
    {
        get => Data["pending_user"] is JsonValue v && v.TryGetValue<int>(out var id) ? id : null;
        set => Data["pending_user"] = value;
    }

    /// <summary>
    /// Set when an email stage with <c>activate_user_on_success</c> was passed before the user existed: the user write
    /// stage then creates the user active, whatever its <c>create_users_as_inactive</c> says.
    /// </summary>
    public bool ActivateUserOnWrite
    {
        get => Data["email_verified_activate_user"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        set => Data["email_verified_activate_user"] = value;
    }

    public string? UserPath => (string?)(Data["user_path"] as JsonValue);
    public string? UserType => (string?)(Data["user_type"] as JsonValue);
    public string? Redirect => (string?)(Data["redirect"] as JsonValue);

    /// <summary>Group names or pks the user write stage adds the user to.</summary>
    public IReadOnlyList<string> Groups =>
        Data["groups"] is JsonArray a ? a.Select(n => n?.ToString()).Where(s => !string.IsNullOrEmpty(s)).Cast<string>().ToList() : [];

    /// <summary>The query string the flow was started with (<c>itoken</c>, <c>next</c>, …).</summary>
    public string? Query(string name) => Data["query"] is JsonObject q ? (string?)(q[name] as JsonValue) : null;

    /// <summary>
    /// A deep merge, <paramref name="overlay"/> winning: nested objects (such as <c>attributes</c>) merge key by key,
    /// everything else is replaced. This is how an invitation's fixed data lands on top of what is already known.
    /// </summary>
    public static void DeepMerge(JsonObject target, JsonObject overlay)
    {
        foreach (var (key, value) in overlay)
        {
            if (value is JsonObject o && target[key] is JsonObject existing) DeepMerge(existing, o);
            else target[key] = value?.DeepClone();
        }
    }
}
