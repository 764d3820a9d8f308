using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Enrollment.Features.Invitations.Shared;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Invitations;

/// <summary>
/// The writable fields of an invitation as a request body gives them, validated the way DRF's serializer would
/// (messages per field). A field that is absent is left alone; <c>name</c> is required unless the write is partial.
/// Read-only (<c>pk</c>, <c>created_by</c>, <c>flow_obj</c>, <c>uses</c>, <c>last_used</c>, <c>opens</c>, <c>status</c>) and
/// unknown fields are ignored, as DRF does. <c>max_uses</c> (null = no limit) wins over <c>single_use</c>; both given
/// must agree (single use is max uses 1); <c>single_use: false</c> alone lifts a limit of 1 and leaves a larger one.
/// </summary>
public sealed partial class InvitationInput(JsonObject body, bool partial) : IInvitationInput
{
    public const int MaxFixedDataChars = 65536;

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

    public async Task<InvitationValues?> ReadAsync(AppDbContext db, DateTime now, List<FieldError> errors, CancellationToken ct)
    {
        string? name = null;
        if (body.TryGetPropertyValue("name", out var nameNode))
        {
            if (nameNode is null) errors.Add(new("name", "This field may not be null."));
            else if (nameNode.GetValueKind() != JsonValueKind.String) errors.Add(new("name", "Not a valid string."));
            else
            {
                name = nameNode.GetValue<string>().Trim();
                if (name.Length == 0) errors.Add(new("name", "This field may not be blank."));
                else if (name.Length > 200) errors.Add(new("name", "Ensure this field has no more than 200 characters."));
                else if (!NamePattern().IsMatch(name)) errors.Add(new("name", "Use only letters, digits, '-' and '_'."));
            }
        }
        else if (!partial) errors.Add(new("name", "This field is required."));

        DateTime? expires = null;
        var setsExpires = body.TryGetPropertyValue("expires", out var expiresNode);
        if (setsExpires && expiresNode is not null)
        {
            if (expiresNode.GetValueKind() == JsonValueKind.String && ParseDateTime(expiresNode.GetValue<string>()) is { } at) expires = at;
            else errors.Add(new("expires", DateTimeFormatError));
        }

        JsonObject? fixedData = null;
        if (body.TryGetPropertyValue("fixed_data", out var fixedDataNode))
        {
            if (fixedDataNode is null) errors.Add(new("fixed_data", "This field may not be null."));
            else if (fixedDataNode is not JsonObject o)
                errors.Add(new("fixed_data", $"Expected a JSON object (key: value pairs), found {(fixedDataNode is JsonArray ? "a list" : "a single value")}."));
            else if (o.ToJsonString().Length > MaxFixedDataChars) errors.Add(new("fixed_data", "Custom attributes may be at most 64 KB."));
            // DRF's message; PostgreSQL stores no NUL in jsonb, and the values become a user's.
            else if (HoldsNul(o)) errors.Add(new("fixed_data", "Null characters are not allowed."));
            else fixedData = (JsonObject)o.DeepClone();
        }

        (Guid Id, string Slug)? flow = null;
        var setsFlow = body.TryGetPropertyValue("flow", out var flowNode);
        if (setsFlow && flowNode is not null)
        {
            if (flowNode.GetValueKind() != JsonValueKind.String)
                errors.Add(new("flow", $"Incorrect type. Expected pk value, received {Kind(flowNode)}."));
            else
            {
                var text = flowNode.GetValue<string>();
                var found = Guid.TryParse(text, out var pk)
                    ? await db.Flows.AsNoTracking().Where(f => f.Id == pk).Select(f => new { f.Id, f.Slug }).SingleOrDefaultAsync(ct)
                    : null;
                if (found is null) errors.Add(new("flow", $"Invalid pk \"{text}\" - object does not exist."));
                else flow = (found.Id, found.Slug);
            }
        }

        bool? singleUse = null;
        if (body.TryGetPropertyValue("single_use", out var singleUseNode))
        {
            if (singleUseNode is null) errors.Add(new("single_use", "This field may not be null."));
            else if (singleUseNode.GetValueKind() is JsonValueKind.True or JsonValueKind.False) singleUse = singleUseNode.GetValue<bool>();
            else errors.Add(new("single_use", "Must be a valid boolean."));
        }

        int? maxUses = null;
        var setsMaxUses = body.TryGetPropertyValue("max_uses", out var maxUsesNode);
        if (setsMaxUses && maxUsesNode is not null)
        {
            // DRF's IntegerField: a whole number, also written as a string.
            int? parsed = maxUsesNode.GetValueKind() switch
            {
                JsonValueKind.Number when maxUsesNode.AsValue().TryGetValue<decimal>(out var d) && d == decimal.Truncate(d) && d is >= int.MinValue and <= int.MaxValue => (int)d,
                JsonValueKind.String when int.TryParse(maxUsesNode.GetValue<string>().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
                _ => null,
            };
            if (parsed is null) errors.Add(new("max_uses", "A valid integer is required."));
            else if (parsed < 1) errors.Add(new("max_uses", "Ensure this value is greater than or equal to 1."));
            else maxUses = parsed;
        }
        if (errors.Count == 0 && InvitationValues.Conflict(singleUse, setsMaxUses, maxUses) is { } conflict) errors.Add(new("single_use", conflict));

        if (errors.Count > 0) return null;
        return new InvitationValues
        {
            Name = name,
            SetsExpires = setsExpires, Expires = expires,
            SetsFlow = setsFlow, FlowId = flow?.Id, FlowSlug = flow?.Slug,
            FixedData = fixedData,
            SingleUse = singleUse,
            SetsMaxUses = setsMaxUses, MaxUses = maxUses,
        };
    }

    private static bool HoldsNul(JsonNode? node) => node switch
    {
        JsonObject o => o.Any(p => p.Key.Contains('\0') || HoldsNul(p.Value)),
        JsonArray a => a.Any(HoldsNul),
        JsonValue v => v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Contains('\0'),
        _ => false,
    };

    private static string Kind(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        _ => "something else",
    };
}
