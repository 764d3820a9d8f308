using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Infrastructure.Blueprints;

/// <summary>
/// A blueprint is untrusted input: a NUL character in a text or JSON field (which PostgreSQL cannot store) is an error
/// naming the entry and field, and nothing of the file is saved — on every database, not a 500 on one of them.
/// </summary>
public sealed class BlueprintNulTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Theory]
    [InlineData("label: \"Depart\\0ment\"", "label")]
    [InlineData("placeholder: \"\\0\"", "placeholder")]
    public async Task A_nul_in_a_text_field_is_an_error_on_the_field_and_nothing_is_saved(string attr, string field)
    {
        var name = BlueprintKit.Unique("nul-text");
        var result = await app.ImportAsync($$"""
            version: 1
            entries:
              - model: authentik_core.group
                identifiers: { name: {{name}}-group }
              - model: authentik_stages_prompt.prompt
                identifiers: { name: {{name}} }
                attrs: { field_key: department, type: text, {{attr}} }
            """);
        Assert.False(result.Success);
        Assert.Contains(result.Logs, l => l.Field == field && l.Message.Contains("NUL"));
        Assert.False(await app.DbAsync(db => db.Prompts.AnyAsync(p => p.Name == name)));
        Assert.False(await app.DbAsync(db => db.Groups.AnyAsync(g => g.Name == name + "-group")));
    }

    [Fact]
    public async Task A_nul_inside_attributes_is_an_error_on_the_field_and_nothing_is_saved()
    {
        var name = BlueprintKit.Unique("nul-json");
        var result = await app.ImportAsync($$"""
            version: 1
            entries:
              - model: authentik_core.group
                identifiers: { name: {{name}} }
                attrs:
                  attributes: { team: { note: "a\0b" } }
            """);
        Assert.False(result.Success);
        Assert.Contains(result.Logs, l => l.Field == "attributes" && l.Message.Contains("NUL"));
        Assert.False(await app.DbAsync(db => db.Groups.AnyAsync(g => g.Name == name)));
    }
}
