using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Invitations;

/// <summary>
/// <c>authentik_stages_invitation.invitation</c> entries take <c>max_uses</c> (single use is max uses 1); the counted
/// fields (<c>uses</c>, <c>last_used</c>, <c>opens</c>, <c>status</c>) are refused with a clear message.
/// </summary>
[Collection(InvitationsCollection.Name)]
public sealed class InvitationBlueprintMaxUsesTests(Hosts.Default app)
{
    [Fact]
    public async Task An_entry_sets_max_uses_and_single_use_true_is_max_uses_1()
    {
        var p = BlueprintKit.Unique("bp-mu");
        await app.ImportCleanAsync($$"""
            version: 1
            entries:
            - model: authentik_stages_invitation.invitation
              identifiers: {name: {{p}}-five}
              attrs: {max_uses: 5}
            - model: authentik_stages_invitation.invitation
              identifiers: {name: {{p}}-single}
              attrs: {single_use: true}
            - model: authentik_stages_invitation.invitation
              identifiers: {name: {{p}}-open}
              attrs: {single_use: false}
            """);
        var stored = await app.DbAsync(db => db.Invitations.Where(i => i.Name.StartsWith(p)).ToDictionaryAsync(i => i.Name[(p.Length + 1)..], i => (i.MaxUses, i.SingleUse)));
        Assert.Equal((5, false), stored["five"]);
        Assert.Equal((1, true), stored["single"]);
        Assert.Equal((null, false), stored["open"]);

        // Applied again with single_use false (a file written for authentik): the limit of 5 stays.
        await app.ImportCleanAsync($$"""
            version: 1
            entries:
            - model: authentik_stages_invitation.invitation
              identifiers: {name: {{p}}-five}
              attrs: {single_use: false}
            """);
        Assert.Equal(5, await app.DbAsync(db => db.Invitations.Where(i => i.Name == p + "-five").Select(i => i.MaxUses).SingleAsync()));
    }

    [Theory]
    [InlineData("max_uses: 0", "max_uses", "must be between 1 and")]
    [InlineData("max_uses: many", "max_uses", "")]
    [InlineData("uses: 3", "uses", "is read-only")]
    [InlineData("last_used: 2030-01-01T00:00:00Z", "last_used", "is read-only")]
    [InlineData("status: active", "status", "is read-only")]
    [InlineData("opens: 2", "opens", "is read-only")]
    public async Task A_bad_max_uses_or_a_counted_field_fails_the_import_naming_the_field_and_writes_nothing(string attr, string field, string message)
    {
        var p = BlueprintKit.Unique("bp-bad");
        var result = await app.ImportAsync($$"""
            version: 1
            entries:
            - model: authentik_stages_invitation.invitation
              identifiers: {name: {{p}}}
              attrs: { {{attr}} }
            """);
        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Contains(field, error.ToString());
        Assert.Contains(message, error.Message);
        Assert.False(await app.DbAsync(db => db.Invitations.AnyAsync(i => i.Name == p)));
    }
}
