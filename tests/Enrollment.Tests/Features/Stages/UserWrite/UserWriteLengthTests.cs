using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Stages.UserWrite;

/// <summary>
/// Values no form checked — an invitation's <c>fixed_data</c> — can be longer than a user's columns: the user write
/// stage says which and writes nothing (no user, no use of the invitation), instead of failing in the database.
/// </summary>
public sealed class UserWriteLengthTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Theory]
    [InlineData("username", 151, "The username is too long: at most 150 characters.")]
    [InlineData("name", 301, "The name is too long: at most 300 characters.")]
    [InlineData("email", 255, "The email address is too long: at most 254 characters.")]
    public async Task Fixed_data_longer_than_the_users_column_is_denied_with_its_reason_and_nothing_is_written(string key, int length, string message)
    {
        var slug = $"fixed-long-{key}";
        var (flow, _) = await FlowKit.FlowAsync(app, slug,
            [new InvitationStage { Name = $"{slug}-invitation" }, FlowKit.PromptStageOf($"{slug}-prompts", FlowKit.Field(slug, "attributes.note", required: false)),
             new UserWriteStage { Name = $"{slug}-write" }, new UserLoginStage { Name = $"{slug}-login" }]);
        var value = key == "email" ? new string('e', length - "@example.com".Length) + "@example.com" : new string('x', length);
        var fixedData = new JsonObject { ["username"] = $"fixed-{key}", [key] = value };
        var invitation = await FlowKit.InvitationAsync(app, slug, flow.Id, singleUse: true, fixedData: fixedData);
        var before = await FlowKit.UserCountAsync(app);

        using var client = app.NewClient();
        var link = $"/if/flow/{slug}/?itoken={invitation.Id}";
        var page = await FlowKit.PageAfterAsync(client, await client.SubmitAsync(link, ("attributes.note", "hello")));

        FlowKit.AssertDenied(page, message);
        Assert.Equal(before, await FlowKit.UserCountAsync(app));
        Assert.Equal(0, await FlowKit.UsesAsync(app, invitation.Id));
    }
}
