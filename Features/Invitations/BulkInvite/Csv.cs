using System.Text;

namespace Enrollment.Features.Invitations.BulkInvite;

/// <summary>
/// A small RFC 4180 reader: fields separated by one delimiter, records by CRLF, LF or CR; a field in double quotes
/// may hold delimiters, line breaks and doubled quotes (<c>""</c>). Lenient where spreadsheets are sloppy: text
/// after a closing quote is kept, a quote inside an unquoted field is an ordinary character. A quote that is never
/// closed is an error, because everything after it would silently become one value.
/// </summary>
public static class Csv
{
    /// <summary>One record: its number (the header is 1, as a spreadsheet counts rows), the line it starts on, its fields.</summary>
    public sealed record Record(int Number, int Line, IReadOnlyList<string> Fields)
    {
        public bool IsBlank => Fields.All(string.IsNullOrWhiteSpace);
    }

    public sealed class FormatException(int row, int line)
        : Exception($"Row {row} (line {line}): a quoted value starts here and is never closed. Close it with a double quote (\").")
    {
        public int Row { get; } = row;
    }

    /// <summary>The delimiter the first line uses: a comma, else a semicolon (spreadsheets in many locales), else a tab.</summary>
    public static char SniffDelimiter(string text)
    {
        var quoted = false;
        bool comma = false, semicolon = false, tab = false;
        foreach (var c in text)
        {
            if (c == '"') quoted = !quoted;
            else if (quoted) continue;
            else if (c is '\n' or '\r') break;
            else if (c == ',') comma = true;
            else if (c == ';') semicolon = true;
            else if (c == '\t') tab = true;
        }
        return comma ? ',' : semicolon ? ';' : tab ? '\t' : ',';
    }

    public static IEnumerable<Record> Read(string text, char delimiter)
    {
        int i = 0, n = text.Length, number = 0, line = 1;
        var field = new StringBuilder();
        while (i < n)
        {
            var startLine = line;
            var fields = new List<string>();
            while (true)
            {
                field.Clear();
                if (i < n && text[i] == '"')
                {
                    var quoteLine = line;
                    i++;
                    while (true)
                    {
                        if (i >= n) throw new FormatException(number + 1, quoteLine);
                        var c = text[i];
                        if (c == '"')
                        {
                            if (i + 1 < n && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                            i++;
                            break;
                        }
                        if (c == '\n' || (c == '\r' && (i + 1 >= n || text[i + 1] != '\n'))) line++;
                        field.Append(c);
                        i++;
                    }
                }
                while (i < n && text[i] != delimiter && text[i] != '\n' && text[i] != '\r') field.Append(text[i++]);
                fields.Add(field.ToString());
                if (i >= n) break;
                if (text[i] == delimiter) { i++; continue; }
                if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') i++;
                i++;
                line++;
                break;
            }
            yield return new Record(++number, startLine, fields);
        }
    }
}
