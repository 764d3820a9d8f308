using Enrollment.Infrastructure.Serialization;

namespace Enrollment.Tests.Infrastructure.Serialization;

/// <summary>
/// Admin-typed JSON or YAML (invitation fixed data, group attributes, blueprint and policy-test contexts) that no
/// column can store is an error on the field, not a 500 when it is saved or read.
/// </summary>
public sealed class StructuredTextTests
{
    [Theory]
    [InlineData("""{"note":"a\u0000b"}""")]
    [InlineData("""{"a\u0000":1}""")]
    [InlineData("""{"list":[{"deep":"\u0000"}]}""")]
    [InlineData("note: \"a\\0b\"")] // YAML's own escape
    [InlineData("note: \"\\x00\"")]
    public void A_nul_character_is_an_error(string text)
    {
        var parsed = StructuredText.ParseObject(text);
        Assert.Null(parsed.Value);
        Assert.Equal("The text holds a NUL character (\\u0000 or \\0), which cannot be stored.", parsed.Error);
    }

    [Theory]
    [InlineData("""{"note":"\ud800"}""")]
    [InlineData("""{"\udc00":1}""")]
    [InlineData("""{"list":["ok","\ud83d"]}""")]
    public void An_escaped_lone_surrogate_is_an_error(string text)
    {
        var parsed = StructuredText.ParseObject(text);
        Assert.Null(parsed.Value);
        Assert.Equal("The text holds a \\u escape of half a surrogate pair, which is no character.", parsed.Error);
    }

    [Theory]
    [InlineData("""{"emoji":"\ud83d\ude00","text":"é"}""")]
    [InlineData("emoji: \"\\U0001F600\"\ntext: é")]
    public void Escaped_pairs_and_any_other_character_are_kept(string text)
    {
        var parsed = StructuredText.ParseObject(text);
        Assert.Null(parsed.Error);
        Assert.Equal("😀", (string?)parsed.Value!["emoji"]);
        Assert.Equal("é", (string?)parsed.Value!["text"]);
    }
}
