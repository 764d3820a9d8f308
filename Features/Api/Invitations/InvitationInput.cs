using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Enrollment.Domain;
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

        var groups = await ReadGroupsAsync(db, errors, ct);
        var (setsEmail, email, domains) = ReadAddressRule(errors);
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
            Groups = groups,
            SetsEmail = setsEmail, Email = email,
            EmailDomains = domains,
            Name = name,
            SetsExpires = setsExpires, Expires = expires,
            SetsFlow = setsFlow, FlowId = flow?.Id, FlowSlug = flow?.Slug,
            FixedData = fixedData,
            SingleUse = singleUse,
            SetsMaxUses = setsMaxUses, MaxUses = maxUses,
        };
    }

    /// <summary>The most groups one invitation may name.</summary>
    public const int MaxGroups = 1000;

    /// <summary><c>groups</c>: a list of group pks, every one an existing group (DRF's many-related field and its messages).</summary>
    private async Task<List<Guid>?> ReadGroupsAsync(AppDbContext db, List<FieldError> errors, CancellationToken ct)
    {
        if (!body.TryGetPropertyValue("groups", out var node)) return null;
        if (node is not JsonArray array)
        {
            errors.Add(new("groups", node is null ? "This field may not be null." : $"Expected a list of items but got type \"{TypeName(node)}\"."));
            return null;
        }
        if (array.Count > MaxGroups)
        {
            errors.Add(new("groups", $"Ensure this field has no more than {MaxGroups} elements."));
            return null;
        }
        var ids = new List<Guid>();
        var before = errors.Count;
        foreach (var item in array)
        {
            if (item is null || item.GetValueKind() != JsonValueKind.String)
                errors.Add(new("groups", item is null ? "This field may not be null." : $"Incorrect type. Expected pk value, received {Kind(item)}."));
            else if (!Guid.TryParse(item.GetValue<string>(), out var id))
                errors.Add(new("groups", $"Invalid pk \"{Shorten(item.GetValue<string>())}\" - object does not exist."));
            else ids.Add(id);
        }
        foreach (var missing in await InvitationBinding.MissingGroupsAsync(db, ids, ct))
            errors.Add(new("groups", $"Invalid pk \"{missing}\" - object does not exist."));
        return errors.Count == before ? ids.Distinct().ToList() : null;
    }

    /// <summary>
    /// <c>email</c> (an address, or null or "" for any) and <c>email_domains</c> (a list of domain names, null or empty
    /// for any), checked by the domain's rule (<see cref="InvitationAddresses.Check"/>).
    /// </summary>
    private (bool SetsEmail, string? Email, List<string>? Domains) ReadAddressRule(List<FieldError> errors)
    {
        var before = errors.Count;
        string? email = null;
        var setsEmail = body.TryGetPropertyValue("email", out var emailNode);
        if (setsEmail && emailNode is not null)
        {
            if (emailNode.GetValueKind() != JsonValueKind.String) errors.Add(new("email", "Not a valid string."));
            else if (emailNode.GetValue<string>().Trim() is { Length: > 0 } text) email = text;
        }

        List<string>? domains = null;
        if (body.TryGetPropertyValue("email_domains", out var domainsNode))
        {
            domains = [];
            if (domainsNode is JsonArray array)
            {
                if (array.Count > InvitationAddresses.MaxDomains)
                    errors.Add(new("email_domains", $"List at most {InvitationAddresses.MaxDomains} domains ({array.Count} given)."));
                else
                    foreach (var item in array)
                    {
                        if (item is null || item.GetValueKind() != JsonValueKind.String) errors.Add(new("email_domains", "Each domain must be a string, like \"example.com\"."));
                        else domains.Add(item.GetValue<string>());
                    }
            }
            else if (domainsNode is not null)
                errors.Add(new("email_domains", $"Expected a list of items but got type \"{TypeName(domainsNode)}\"."));
        }
        if (errors.Count > before) return (false, null, null);

        var (bound, normalized, problems) = InvitationAddresses.Check(email, domains);
        foreach (var (field, message) in problems) errors.Add(new(field, message));
        return (setsEmail, bound, domains is null ? null : normalized);
    }

    private static string Shorten(string text) => text.Length > 100 ? text[..100] + "…" : text;

    private static string TypeName(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.String => "str",
        JsonValueKind.Number => "int",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Object => "dict",
        _ => "list",
    };

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
