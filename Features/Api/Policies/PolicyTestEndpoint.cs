using System.Text.Json.Nodes;
using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PolicyDetails = Enrollment.Features.Policies.PolicyDetails.PolicyDetails;

namespace Enrollment.Features.Api.Policies;

/// <summary>
/// <c>POST /api/v3/policies/all/{uuid}/test/</c> with authentik's <c>{"user": pk, "context": {…}}</c>: runs the policy
/// as the admin's Test panel does and answers <c>PolicyTestResult</c> (<c>passing</c>, <c>messages</c>, and the
/// expression's <c>ak_logger</c> lines as <c>log_messages</c>).
/// </summary>
public static class PolicyTestEndpoint
{
    private static readonly string[] Levels = ["critical", "exception", "error", "warn", "warning", "info", "debug", "notset"];

    /// <summary>An <c>ak_logger</c> line ("info: text") as authentik's <c>LogEvent</c>.</summary>
    private static object LogEvent(string line, DateTime now)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        var level = colon > 0 ? line[..colon].ToLowerInvariant() : "";
        var known = Levels.Contains(level);
        return new
        {
            timestamp = now, log_level = known ? level : "info", logger = "authentik.policies.expression",
            @event = known ? line[(colon + 2)..] : line, attributes = new { },
        };
    }

    public static async Task<IResult> Handle(Guid uuid, HttpRequest request, AppDbContext db, ISender sender, CancellationToken ct)
    {
        var (body, error) = await ApiBody.ReadObjectAsync(request, ct);
        if (error is not null) return error;
        var errors = new FieldErrors();
        string? username = null;
        switch (body!["user"])
        {
            case null when !body.ContainsKey("user"):
                errors.Add("user", "This field is required.");
                break;
            case JsonValue v when v.TryGetValue<long>(out var pk) && pk is > 0 and <= int.MaxValue:
                username = await db.Users.Where(u => u.Id == (int)pk).Select(u => u.UserName).SingleOrDefaultAsync(ct);
                if (username is null) errors.Add("user", $"Invalid pk \"{pk}\" - object does not exist.");
                break;
            default:
                errors.Add("user", "Incorrect type. Expected pk value.");
                break;
        }
        var context = body["context"];
        if (context is not null and not JsonObject) errors.Add("context", "Expected a dictionary of items.");
        if (errors.Any) return ApiResult<object>.Invalid(errors).ToHttp();

        var result = await sender.Send(new PolicyDetails.TestCommand { PolicyId = uuid, Username = username, Context = context?.ToJsonString() ?? "{}" }, ct);
        if (result is null) return ApiResult<object>.NotFound().ToHttp();
        if (!result.Succeeded)
        {
            foreach (var e in result.Errors) errors.Add(e.Field == nameof(PolicyDetails.TestCommand.Context) ? "context" : "user", e.Message);
            return ApiResult<object>.Invalid(errors).ToHttp();
        }
        var outcome = result.Value!.Result;
        var now = DateTime.UtcNow;
        var messages = outcome.Messages.ToList();
        if (outcome.Error is { } problem) messages.Add(problem);
        return Results.Json(new
        {
            passing = outcome.Passing,
            messages,
            log_messages = outcome.Logs.Select(line => LogEvent(line, now)),
        }, ApiJson.Options);
    }
}
