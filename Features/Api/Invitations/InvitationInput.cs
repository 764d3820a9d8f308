using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Serialization;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Invitations;

/// <summary>
/// The writable fields of an invitation as a request body gives them, validated the way DRF's serializer would
/// (messages per field). A field that is absent is left alone; <c>name</c> is required unless the write is partial.
/// Read-only (<c>pk</c>, <c>created_by</c>, <c>flow_obj</c>) and unknown fields are ignored, as DRF does.
/// </summary>
public sealed partial class InvitationInput
{
    public const int MaxFixedDataChars = 65536;

    public bool HasName { get; private set; }
    public string Name { get; private set; } = "";
    public bool HasExpires { get; private set; }
    public DateTime? Expires { get; private set; }
    public bool HasFixedData { get; private set; }
    public JsonObject FixedData { get; private set; } = [];
    public bool HasFlow { get; private set; }
    public Guid? FlowId { get; private set; }
    public string? FlowSlug { get; private set; }
    public bool HasSingleUse { get; private set; }
    public bool SingleUse { get; private set; }

    [GeneratedRegex("^[-a-zA-Z0-9_]+$")]
    private static partial Regex NamePattern();

    // ISO 8601 with a time zone: a date-time without one would mean a different instant on each admin's machine.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})$", RegexOptions.IgnoreCase)]
    private static partial Regex DateTimePattern();

    public const string DateTimeFormatError =
        "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]]Z or YYYY-MM-DDThh:mm[:ss[.uuuuuu]]+HH:MM (a time zone is required).";

    /// <summary>An ISO 8601 date-time with <c>Z</c> or an offset, in UTC to the microsecond (what PostgreSQL keeps); null if it is not one.</summary>
    public static DateTime? ParseDateTime(string text)
    {
        if (!DateTimePattern().IsMatch(text)) return null;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)) return null;
        var utc = value.UtcDateTime;
        return new DateTime(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);
    }

    public static async Task<InvitationInput> ReadAsync(JsonObject body, bool partial, AppDbContext db, FieldErrors errors, CancellationToken ct)
    {
        var input = new InvitationInput();

        if (body.TryGetPropertyValue("name", out var name))
        {
            input.HasName = true;
            if (name is null) errors.Add("name", "This field may not be null.");
            else if (name.GetValueKind() != JsonValueKind.String) errors.Add("name", "Not a valid string.");
            else
            {
                var text = name.GetValue<string>().Trim();
                if (text.Length == 0) errors.Add("name", "This field may not be blank.");
                else if (text.Length > 200) errors.Add("name", "Ensure this field has no more than 200 characters.");
                else if (!NamePattern().IsMatch(text)) errors.Add("name", "Use only letters, digits, '-' and '_'.");
                input.Name = text;
            }
        }
        else if (!partial) errors.Add("name", "This field is required.");

        if (body.TryGetPropertyValue("expires", out var expires))
        {
            input.HasExpires = true;
            if (expires is not null)
            {
                if (expires.GetValueKind() == JsonValueKind.String && ParseDateTime(expires.GetValue<string>()) is { } at) input.Expires = at;
                else errors.Add("expires", DateTimeFormatError);
            }
        }

        if (body.TryGetPropertyValue("fixed_data", out var fixedData))
        {
            input.HasFixedData = true;
            if (fixedData is null) errors.Add("fixed_data", "This field may not be null.");
            else if (fixedData is not JsonObject o)
                errors.Add("fixed_data", $"Expected a JSON object (key: value pairs), found {(fixedData is JsonArray ? "a list" : "a single value")}.");
            else if (o.ToJsonString().Length > MaxFixedDataChars) errors.Add("fixed_data", "Custom attributes may be at most 64 KB.");
            else input.FixedData = (JsonObject)o.DeepClone();
        }

        if (body.TryGetPropertyValue("flow", out var flow))
        {
            input.HasFlow = true;
            if (flow is not null)
            {
                if (flow.GetValueKind() != JsonValueKind.String)
                    errors.Add("flow", $"Incorrect type. Expected pk value, received {Kind(flow)}.");
                else
                {
                    var text = flow.GetValue<string>();
                    var found = Guid.TryParse(text, out var pk)
                        ? await db.Flows.AsNoTracking().Where(f => f.Id == pk).Select(f => new { f.Id, f.Slug }).SingleOrDefaultAsync(ct)
                        : null;
                    if (found is null) errors.Add("flow", $"Invalid pk \"{text}\" - object does not exist.");
                    else (input.FlowId, input.FlowSlug) = (found.Id, found.Slug);
                }
            }
        }

        if (body.TryGetPropertyValue("single_use", out var singleUse))
        {
            input.HasSingleUse = true;
            if (singleUse is null) errors.Add("single_use", "This field may not be null.");
            else if (singleUse.GetValueKind() is JsonValueKind.True or JsonValueKind.False) input.SingleUse = singleUse.GetValue<bool>();
            else errors.Add("single_use", "Must be a valid boolean.");
        }

        return input;
    }

    private static string Kind(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        _ => "something else",
    };
}
