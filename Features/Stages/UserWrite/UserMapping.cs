using System.Text.Json.Nodes;
using Enrollment.Domain;
using Microsoft.AspNetCore.Identity;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.UserWrite;

/// <summary>
/// How <c>prompt_data</c> lands on a user, as in authentik: <c>username</c>, <c>name</c>, <c>email</c> are set;
/// <c>password</c> is set (hashed already by the prompt stage, see <see cref="PasswordValue"/>; a plaintext value is
/// hashed here); <c>attributes</c> (an object) merges into the attributes; <c>attributes.a.b</c> sets one nested
/// attribute (underscores are kept, unlike authentik); <c>groups</c> and unknown keys are dropped.
/// </summary>
public static class UserMapping
{
    public static void Apply(User user, JsonObject data, IPasswordHasher<User> hasher)
    {
        foreach (var (key, value) in data)
        {
            switch (key)
            {
                case "username": user.UserName = Text(value)?.Trim(); break;
                case "name": user.Name = Text(value)?.Trim() ?? ""; break;
                case "email": user.Email = Text(value)?.Trim() is { Length: > 0 } e ? e : null; break;
                case "password" when PasswordValue.HashOf(value) is { } hash:
                    user.PasswordHash = hash; // hashed by the prompt stage that asked for it
                    break;
                case "password" when Text(value) is { Length: > 0 } password:
                    // Plaintext from elsewhere (an invitation's fixed data, a plan from before passwords were hashed).
                    user.PasswordHash = hasher.HashPassword(user, password);
                    break;
                case "attributes" when value is JsonObject attributes:
                    PlanContext.DeepMerge(user.Attributes, attributes);
                    break;
                default:
                    if (key.StartsWith("attributes.", StringComparison.Ordinal)) SetPath(user.Attributes, key["attributes.".Length..].Split('.'), value);
                    break;
            }
        }
    }

    private static void SetPath(JsonObject target, string[] path, JsonNode? value)
    {
        if (path.Any(p => p.Length == 0)) return;
        for (var i = 0; i < path.Length - 1; i++)
        {
            if (target[path[i]] is not JsonObject next)
            {
                next = new JsonObject();
                target[path[i]] = next;
            }
            target = next;
        }
        target[path[^1]] = value?.DeepClone();
    }

    private static string? Text(JsonNode? value) => value is JsonValue v ? v.ToString() : null;
}
