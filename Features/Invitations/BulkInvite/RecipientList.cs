using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Enrollment.Features.Invitations.Shared;
using Enrollment.Infrastructure.Email;

namespace Enrollment.Features.Invitations.BulkInvite;

/// <summary>
/// Turns what an admin pasted or uploaded (untrusted text) into recipients. Every address goes through
/// <see cref="EmailAddresses.TryParse"/>; a bad, missing or repeated address rejects its row only. What cannot be
/// read at all (no <c>email</c> column, an odd column name, a quote never closed, too many rows) is an
/// <see cref="Error"/> for the whole list.
/// <para>Pasted text: one recipient a line, <c>address</c> or <c>address,name</c> (a tab works for the comma; the
/// name is everything after the first one); blank lines are skipped; the row is the line number. Pasted text whose
/// first line is a CSV header starting with <c>email</c> is read as CSV.</para>
/// <para>CSV: a header row; column <c>email</c> required, <c>name</c> optional (both in any letter case); every
/// other column is a <c>fixed_data</c> key, and dots nest (<c>attributes.department</c> is
/// <c>fixed_data.attributes.department</c>, which the user write stage puts into the user's attributes). Values
/// are text, trimmed; empty cells are left out. Row numbers count the header as row 1, as a spreadsheet does.</para>
/// </summary>
public sealed partial record RecipientList(IReadOnlyList<Recipient> Recipients, IReadOnlyList<RejectedRow> Rejected, string? Error)
{
    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_\-]*$")]
    private static partial Regex KeySegment();

    /// <summary>An invitation's <c>fixed_data</c> is at most 64 KB (as the API's and the admin's).</summary>
    public const int MaxFixedDataChars = 65536;

    private static RecipientList Failed(string error) => new([], [], error);

    public static RecipientList FromPaste(string text)
    {
        var firstLine = text.TrimStart('\uFEFF', '\r', '\n', ' ', '\t').Split('\n', 2)[0].TrimEnd('\r');
        var firstCell = firstLine.Split(Csv.SniffDelimiter(firstLine), 2)[0].Trim().Trim('"');
        if (firstCell.Equals("email", StringComparison.OrdinalIgnoreCase)) return FromCsv(text);

        var builder = new Builder();
        var row = 0;
        foreach (var raw in text.Split('\n'))
        {
            row++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            if (builder.Count >= BulkInviteLimits.MaxRows) return Failed(BulkInviteLimits.TooManyRows);
            var cut = line.IndexOfAny([',', '\t']);
            var address = cut < 0 ? line : line[..cut].Trim();
            var name = cut < 0 ? "" : line[(cut + 1)..].Trim();
            var data = new JsonObject();
            if (EmailAddresses.IsValid(name.Split(',', ';', '\t')[0]))
            {
                builder.Reject(row, line, "The line holds more than one address; put each address on a line of its own.");
                continue;
            }
            if (name.Length > BulkInviteLimits.MaxValueLength)
            {
                builder.Reject(row, address, $"The name is longer than {BulkInviteLimits.MaxValueLength:N0} characters.");
                continue;
            }
            if (name.Length > 0) data["name"] = name;
            builder.Add(row, address, data);
        }
        return builder.Build();
    }

    /// <summary>
    /// The API's list: objects with <c>email</c>, optional <c>name</c> (text) and <c>fixed_data</c> (an object, at most
    /// 64 KB, no NUL); the row is the 1-based position in the list. A bad item rejects itself only.
    /// </summary>
    public static RecipientList FromJson(JsonArray items)
    {
        if (items.Count > BulkInviteLimits.MaxRows) return Failed(BulkInviteLimits.TooManyRows);
        var builder = new Builder();
        for (var i = 0; i < items.Count; i++)
        {
            var row = i + 1;
            if (items[i] is not JsonObject item) { builder.Reject(row, items[i]?.ToJsonString() ?? "null", "Expected an object with \"email\"."); continue; }
            if (item["email"] is not JsonValue emailNode || emailNode.GetValueKind() != System.Text.Json.JsonValueKind.String)
            {
                builder.Reject(row, item.ToJsonString(), "\"email\" is required and must be text.");
                continue;
            }
            var email = emailNode.GetValue<string>();
            var data = new JsonObject();
            if (item["fixed_data"] is { } fixedNode)
            {
                if (fixedNode is not JsonObject fixedData) { builder.Reject(row, email, "\"fixed_data\" must be an object."); continue; }
                if (fixedData.ToJsonString().Length > MaxFixedDataChars) { builder.Reject(row, email, "\"fixed_data\" is larger than 64 KB."); continue; }
                if (Infrastructure.Serialization.StructuredText.Unstorable(fixedData) is { } problem) { builder.Reject(row, email, problem); continue; }
                foreach (var (key, value) in fixedData) data[key] = value?.DeepClone();
            }
            if (item["name"] is { } nameNode)
            {
                if (nameNode.GetValueKind() != System.Text.Json.JsonValueKind.String) { builder.Reject(row, email, "\"name\" must be text."); continue; }
                var name = nameNode.GetValue<string>().Trim();
                if (name.Length > BulkInviteLimits.MaxValueLength) { builder.Reject(row, email, $"The name is longer than {BulkInviteLimits.MaxValueLength:N0} characters."); continue; }
                if (name.Contains('\0')) { builder.Reject(row, email, "The name holds a NUL character."); continue; }
                if (name.Length > 0) data["name"] = name;
            }
            builder.Add(row, email, data);
        }
        return builder.Build();
    }

    public static RecipientList FromCsv(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var delimiter = Csv.SniffDelimiter(text);
        var builder = new Builder();
        string[]? columns = null;
        try
        {
            foreach (var record in Csv.Read(text, delimiter))
            {
                if (record.IsBlank) continue;
                if (columns is null)
                {
                    var (keys, error) = Header(record.Fields);
                    if (error is not null) return Failed(error);
                    columns = keys;
                    continue;
                }
                if (builder.Count >= BulkInviteLimits.MaxRows) return Failed(BulkInviteLimits.TooManyRows);
                var emailCell = Array.IndexOf(columns, "email");
                var address = emailCell < record.Fields.Count ? record.Fields[emailCell].Trim() : "";
                if (record.Fields.Skip(columns.Length).Any(f => !string.IsNullOrWhiteSpace(f)))
                {
                    builder.Reject(record.Number, address, $"The row has {record.Fields.Count} values, but the header names {columns.Length} columns.");
                    continue;
                }
                var data = new JsonObject();
                string? problem = null;
                for (var c = 0; c < columns.Length && c < record.Fields.Count && problem is null; c++)
                {
                    if (c == emailCell) continue;
                    var value = record.Fields[c].Trim();
                    if (value.Length == 0) continue;
                    if (value.Length > BulkInviteLimits.MaxValueLength)
                        problem = $"The value in column “{columns[c]}” is longer than {BulkInviteLimits.MaxValueLength:N0} characters.";
                    else
                        SetPath(data, columns[c].Split('.'), value);
                }
                if (problem is not null) builder.Reject(record.Number, address, problem);
                else builder.Add(record.Number, address, data);
            }
        }
        catch (Csv.FormatException e)
        {
            return Failed(e.Message);
        }
        if (columns is null) return Failed("The file is empty: it needs a header row with an “email” column, and a row per recipient.");
        return builder.Build();
    }

    /// <summary>The <c>fixed_data</c> key of each column, or why the header cannot be used.</summary>
    private static (string[] Keys, string? Error) Header(IReadOnlyList<string> cells)
    {
        // A trailing delimiter on the header line (some exports write one) is not a column.
        var count = cells.Count;
        while (count > 1 && string.IsNullOrWhiteSpace(cells[count - 1])) count--;
        if (count > BulkInviteLimits.MaxColumns) return ([], $"The header has {count} columns; at most {BulkInviteLimits.MaxColumns} are allowed.");
        var keys = new string[count];
        for (var c = 0; c < count; c++)
        {
            var name = cells[c].Trim();
            var label = c + 1;
            if (name.Length == 0) return ([], $"Column {label} of the header has no name. Name every column, e.g. email, name, attributes.department.");
            if (name.Length > BulkInviteLimits.MaxColumnNameLength) return ([], $"The name of column {label} is longer than {BulkInviteLimits.MaxColumnNameLength} characters.");
            if (!name.Split('.').All(s => KeySegment().IsMatch(s)))
                return ([], $"Column {label} is named “{Shorten(name)}”: column names are prompt field keys, made of letters, digits, '_' and '-', with dots to nest (e.g. attributes.department).");
            keys[c] = name.Equals("email", StringComparison.OrdinalIgnoreCase) ? "email"
                : name.Equals("name", StringComparison.OrdinalIgnoreCase) ? "name"
                : name;
            if (keys[c] == "attributes")
                return ([], $"Column {label} is named “attributes”, which would replace every attribute; name one column per attribute instead, e.g. attributes.department.");
        }
        if (!keys.Contains("email"))
            return ([], $"The header has no “email” column (it has: {Shorten(string.Join(", ", keys))}). The first row must name the columns, one of them email.");
        for (var a = 0; a < keys.Length; a++)
            for (var b = a + 1; b < keys.Length; b++)
            {
                if (keys[a] == keys[b]) return ([], $"Column “{keys[a]}” appears twice (columns {a + 1} and {b + 1}).");
                if (keys[b].StartsWith(keys[a] + ".", StringComparison.Ordinal) || keys[a].StartsWith(keys[b] + ".", StringComparison.Ordinal))
                    return ([], $"Columns “{keys[a]}” and “{keys[b]}” would both set “{(keys[a].Length < keys[b].Length ? keys[a] : keys[b])}”; keep one of them.");
            }
        return (keys, null);
    }

    private static void SetPath(JsonObject target, string[] path, string value)
    {
        for (var i = 0; i < path.Length - 1; i++)
        {
            if (target[path[i]] is not JsonObject next) target[path[i]] = next = new JsonObject();
            target = next;
        }
        target[path[^1]] = value;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "…";

    /// <summary>Checks each address once, and the same address (in any letter case) only once per list.</summary>
    private sealed class Builder
    {
        private readonly List<Recipient> _recipients = [];
        private readonly List<RejectedRow> _rejected = [];
        private readonly Dictionary<string, int> _seen = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Rows read so far, rejected ones included: what <see cref="BulkInviteLimits.MaxRows"/> counts.</summary>
        public int Count => _recipients.Count + _rejected.Count;

        public void Reject(int row, string value, string error) => _rejected.Add(new RejectedRow(row, Shorten(value), error));

        public void Add(int row, string value, JsonObject data)
        {
            if (!EmailAddresses.TryParse(value, out var address, out var error)) { Reject(row, value, error); return; }
            if (_seen.TryGetValue(address.Address, out var first)) { Reject(row, value, $"The address is already in row {first}; it gets one invitation."); return; }
            _seen[address.Address] = row;
            // The address first, so it reads first where fixed_data is shown.
            var fixedData = new JsonObject { ["email"] = address.Address };
            foreach (var (key, node) in data.ToList())
            {
                data.Remove(key);
                fixedData[key] = node;
            }
            _recipients.Add(new Recipient(row, address.Address, fixedData));
        }

        public RecipientList Build() => new(_recipients, _rejected, null);
    }
}
