using System.Text.Json.Nodes;
using Enrollment.Features.Invitations.BulkInvite;

namespace Enrollment.Tests.Features.Invitations;

/// <summary>Reading pasted text and CSV into recipients: the formats, the column mapping, and what is refused.</summary>
public sealed class RecipientListTests
{
    private static void AssertJson(string expected, JsonObject actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual.ToJsonString());

    [Fact]
    public void Pasted_lines_give_an_address_and_an_optional_name_and_bad_lines_are_reported_by_line_number()
    {
        var list = RecipientList.FromPaste("a@example.com\r\nnot-an-address\r\nb@example.com, Bee Smith, Jr.\r\n\r\nEve <eve@example.com>\r\nc@example.com\tSee Tab\r\n");
        Assert.Null(list.Error);
        Assert.Equal([1, 3, 6], list.Recipients.Select(r => r.Row));
        AssertJson("""{"email":"a@example.com"}""", list.Recipients[0].FixedData);
        AssertJson("""{"email":"b@example.com","name":"Bee Smith, Jr."}""", list.Recipients[1].FixedData);
        AssertJson("""{"email":"c@example.com","name":"See Tab"}""", list.Recipients[2].FixedData);
        Assert.Equal([2, 5], list.Rejected.Select(r => r.Row));
        Assert.Equal("\"not-an-address\" is not a valid email address.", list.Rejected[0].Error);
        Assert.Equal("Eve <eve@example.com>", list.Rejected[1].Value);
    }

    [Fact]
    public void Several_addresses_on_one_pasted_line_are_refused_rather_than_taken_as_a_name()
    {
        var list = RecipientList.FromPaste("a@example.com, b@example.com\n");
        Assert.Empty(list.Recipients);
        Assert.Equal("The line holds more than one address; put each address on a line of its own.", list.Rejected.Single().Error);
    }

    [Fact]
    public void Repeated_addresses_in_any_letter_case_get_one_invitation_and_the_repeats_name_the_first_row()
    {
        var list = RecipientList.FromPaste("Jane@Example.com\nbob@example.com\njane@example.com\nJANE@EXAMPLE.COM,Jane again\n");
        Assert.Equal(["Jane@Example.com", "bob@example.com"], list.Recipients.Select(r => r.Email));
        Assert.Equal([3, 4], list.Rejected.Select(r => r.Row));
        Assert.All(list.Rejected, r => Assert.Equal("The address is already in row 1; it gets one invitation.", r.Error));
    }

    [Fact]
    public void Pasted_text_that_starts_with_a_csv_header_is_read_as_csv()
    {
        var list = RecipientList.FromPaste("email,name,attributes.team\njane@example.com,Jane,Blue\n");
        AssertJson("""{"email":"jane@example.com","name":"Jane","attributes":{"team":"Blue"}}""", list.Recipients.Single().FixedData);
        Assert.Equal(2, list.Recipients.Single().Row);
    }

    [Fact]
    public void Csv_columns_map_to_fixed_data_and_dotted_names_nest()
    {
        var list = RecipientList.FromCsv("""
            Email,NAME,username,attributes.department,attributes.office.city,locale
            jane@example.com,Jane Doe,jane,Engineering,Berlin,de
            john@example.com,,,Sales,,
            """);
        Assert.Null(list.Error);
        AssertJson("""
            {"email":"jane@example.com","name":"Jane Doe","username":"jane",
             "attributes":{"department":"Engineering","office":{"city":"Berlin"}},"locale":"de"}
            """, list.Recipients[0].FixedData);
        // Empty cells are left out, so the prompt falls back to its own initial value.
        AssertJson("""{"email":"john@example.com","attributes":{"department":"Sales"}}""", list.Recipients[1].FixedData);
        Assert.Equal([2, 3], list.Recipients.Select(r => r.Row));
    }

    [Fact]
    public void Quoted_csv_values_keep_delimiters_quotes_and_line_breaks_and_rows_count_records_not_lines()
    {
        var list = RecipientList.FromCsv("\uFEFFemail,name,note\r\n"
            + "\"jane@example.com\",\"Doe, Jane\",\"said \"\"hi\"\"\"\r\n"
            + "john@example.com,John,\"two\r\nlines\"\r\n"
            + "bad-address,Bad,x\r\n");
        Assert.Null(list.Error);
        AssertJson("""{"email":"jane@example.com","name":"Doe, Jane","note":"said \"hi\""}""", list.Recipients[0].FixedData);
        AssertJson("""{"email":"john@example.com","name":"John","note":"two\r\nlines"}""", list.Recipients[1].FixedData);
        Assert.Equal(4, list.Rejected.Single().Row);
    }

    [Fact]
    public void Semicolon_separated_files_from_spreadsheets_are_read_too()
    {
        var list = RecipientList.FromCsv("email;name\njane@example.com;Doe, Jane\n");
        AssertJson("""{"email":"jane@example.com","name":"Doe, Jane"}""", list.Recipients.Single().FixedData);
    }

    [Fact]
    public void Rows_with_a_missing_address_too_many_values_or_an_overlong_value_are_rejected_alone()
    {
        var list = RecipientList.FromCsv($"name,email\nNo Address,\nJane,jane@example.com,extra\n{new string('x', 1001)},x@example.com\nOk,ok@example.com,,\n");
        Assert.Equal(["ok@example.com"], list.Recipients.Select(r => r.Email));
        Assert.Equal([2, 3, 4], list.Rejected.Select(r => r.Row));
        Assert.Equal("The email address is empty.", list.Rejected[0].Error);
        Assert.Equal("The row has 3 values, but the header names 2 columns.", list.Rejected[1].Error);
        Assert.Equal("The value in column “name” is longer than 1,000 characters.", list.Rejected[2].Error);
        Assert.Equal("x@example.com", list.Rejected[2].Value);
    }

    [Theory]
    [InlineData("name,department\nJane,Eng\n", "The header has no “email” column (it has: name, department).")]
    [InlineData("email,na me\n", "Column 2 is named “na me”: column names are prompt field keys")]
    [InlineData("email,attributes..x\n", "Column 2 is named “attributes..x”")]
    [InlineData("email,<script>\n", "Column 2 is named “<script>”")]
    [InlineData("email,,name\n", "Column 2 of the header has no name.")]
    [InlineData("email,name,Name\n", "Column “name” appears twice (columns 2 and 3).")]
    [InlineData("email,attributes.team,attributes.team.lead\n", "Columns “attributes.team” and “attributes.team.lead” would both set “attributes.team”")]
    [InlineData("email,email.x\n", "Columns “email” and “email.x” would both set “email”")]
    [InlineData("email,attributes\n", "Column 2 is named “attributes”, which would replace every attribute")]
    [InlineData("email,name\n\"jane@example.com,Jane\n", "Row 2 (line 2): a quoted value starts here and is never closed.")]
    [InlineData("", "The file is empty")]
    [InlineData("\n\n", "The file is empty")]
    public void Unreadable_lists_are_refused_whole_with_a_clear_message(string csv, string message)
    {
        var list = RecipientList.FromCsv(csv);
        Assert.NotNull(list.Error);
        Assert.StartsWith(message, list.Error);
        Assert.Empty(list.Recipients);
    }

    [Fact]
    public void Too_many_columns_are_refused()
    {
        var header = "email," + string.Join(",", Enumerable.Range(1, 50).Select(i => $"c{i}"));
        Assert.Equal("The header has 51 columns; at most 50 are allowed.", RecipientList.FromCsv(header + "\n").Error);
    }

    [Fact]
    public void More_rows_than_the_limit_are_refused_whole()
    {
        var text = string.Join("\n", Enumerable.Range(0, BulkInviteLimits.MaxRows + 1).Select(i => $"u{i}@example.com"));
        var list = RecipientList.FromPaste(text);
        Assert.Equal(BulkInviteLimits.TooManyRows, list.Error);
        Assert.Empty(list.Recipients);
        Assert.Null(RecipientList.FromPaste(string.Join("\n", Enumerable.Range(0, BulkInviteLimits.MaxRows).Select(i => $"u{i}@example.com"))).Error);
    }

    [Theory]
    [InlineData("a,b\r\nc,d", new[] { "a|b", "c|d" })]
    [InlineData("a,b\rc,d\n", new[] { "a|b", "c|d" })]
    [InlineData("a,\"b\"x,c", new[] { "a|bx|c" })]
    [InlineData("a,b\"c,d", new[] { "a|b\"c|d" })]
    [InlineData("a,", new[] { "a|" })]
    [InlineData("\"\"", new[] { "" })]
    [InlineData("\"a\nb\",c\n\nd", new[] { "a\nb|c", "", "d" })]
    public void The_csv_reader_follows_rfc_4180_and_forgives_stray_quotes(string text, string[] records)
    {
        Assert.Equal(records, Csv.Read(text, ',').Select(r => string.Join("|", r.Fields)));
    }

    [Fact]
    public void Records_know_the_line_they_start_on()
    {
        Assert.Equal([1, 2, 4], Csv.Read("a\n\"b\nc\"\nd", ',').Select(r => r.Line));
    }
}
