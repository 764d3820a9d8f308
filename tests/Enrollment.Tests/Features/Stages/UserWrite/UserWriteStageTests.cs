using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Stages.UserWrite;

// Stages/Invitation and Stages/Prompt are namespaces too (the kinds' tests): in here these names mean the domain types.
using Prompt = Enrollment.Domain.Prompt;

/// <summary>The user write stage: creation modes, inactive users, type, path, group and the mapping of prompt_data.</summary>
public sealed class UserWriteStageTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private static PromptStage Account(string slug, params Prompt[] more) => PromptStageOf($"{slug}-account",
        [Field(slug, "username", PromptType.Username, 0), Field(slug, "password", PromptType.Password, 1), Field(slug, "password_repeat", PromptType.Password, 2), .. more]);

    private static (string, string)[] Answers(string username) => [("username", username), ("password", Password), ("password_repeat", Password)];

    private Task<User> UserNamedAsync(string username) =>
        app.DbAsync(db => db.Users.Include(u => u.Groups).AsNoTracking().SingleAsync(u => u.UserName == username));

    [Theory]
    [InlineData(UserType.Internal)]
    [InlineData(UserType.External)]
    [InlineData(UserType.ServiceAccount)]
    public async Task The_user_is_created_with_the_stages_user_type(UserType type)
    {
        var slug = $"write-type-{Wire.Name(type).Replace('_', '-')}";
        var (flow, _) = await FlowAsync(app, slug, [Account(slug), new UserWriteStage { Name = $"{slug}-write", UserType = type }]);
        using var client = app.NewClient();
        await WalkStagesAsync(client, FlowUrl(flow), Answers($"{slug}-jane"));
        Assert.Equal(type, (await UserNamedAsync($"{slug}-jane")).Type);
    }

    [Theory]
    [InlineData("", "users")]
    [InlineData("users/engineering", "users/engineering")]
    public async Task The_path_comes_from_the_template_and_defaults_to_users(string template, string expected)
    {
        var slug = $"write-path-{expected.Replace('/', '-')}";
        var (flow, _) = await FlowAsync(app, slug, [Account(slug), new UserWriteStage { Name = $"{slug}-write", UserPathTemplate = template }]);
        using var client = app.NewClient();
        await WalkStagesAsync(client, FlowUrl(flow), Answers($"{slug}-jane"));
        Assert.Equal(expected, (await UserNamedAsync($"{slug}-jane")).Path);
    }

    [Fact]
    public async Task New_users_join_create_users_group()
    {
        const string slug = "write-group";
        var group = await GroupAsync(app, "Enrolled via write-group");
        var (flow, _) = await FlowAsync(app, slug, [Account(slug), new UserWriteStage { Name = $"{slug}-write", CreateUsersGroupId = group.Id }]);
        using var client = app.NewClient();
        await WalkStagesAsync(client, FlowUrl(flow), Answers("group-jane"));
        Assert.Equal(["Enrolled via write-group"], (await UserNamedAsync("group-jane")).Groups.Select(g => g.Name));
    }

    [Fact]
    public async Task Prompt_data_maps_onto_the_user_attributes_merged_and_nested_groups_and_unknown_keys_dropped_password_hashed()
    {
        const string slug = "write-mapping";
        await GroupAsync(app, "write-mapping-admins");
        var stage = Account(slug,
            Field(slug, "name", order: 3), Field(slug, "email", PromptType.Email, 4),
            Field(slug, "attributes.given_name", order: 5), Field(slug, "attributes.a.b", order: 6),
            Field(slug, "groups", order: 7), Field(slug, "favourite_colour", order: 8));
        var (flow, _) = await FlowAsync(app, slug,
            [new InvitationStage { Name = $"{slug}-inv" }, stage, new UserWriteStage { Name = $"{slug}-write", UserType = UserType.Internal }]);
        var invitation = await InvitationAsync(app, $"{slug}-invite", flow.Id, singleUse: false, fixedData: new JsonObject { ["attributes"] = new JsonObject { ["department"] = "Engineering", ["a"] = new JsonObject { ["c"] = "from fixed_data" } } });
        using var client = app.NewClient();

        await WalkStagesAsync(client, $"{FlowUrl(flow)}?itoken={invitation.Id}",
            [.. Answers("mapped-jane"), ("name", "Jane Doe"), ("email", "jane.doe@example.com"), ("attributes.given_name", "Jane"),
             ("attributes.a.b", "nested"), ("groups", "write-mapping-admins"), ("favourite_colour", "green")]);

        var user = await UserNamedAsync("mapped-jane");
        Assert.Equal("Jane Doe", user.Name);
        Assert.Equal("jane.doe@example.com", user.Email);
        var expected = JsonNode.Parse("""{"department":"Engineering","a":{"c":"from fixed_data","b":"nested"},"given_name":"Jane"}""");
        Assert.True(JsonNode.DeepEquals(expected, user.Attributes), user.Attributes.ToJsonString());
        Assert.Empty(user.Groups); // "groups" in prompt_data is dropped
        Assert.DoesNotContain("password", user.Attributes.ToJsonString());

        Assert.False(string.IsNullOrEmpty(user.PasswordHash));
        Assert.DoesNotContain(Password, user.PasswordHash);
        Assert.Equal(PasswordVerificationResult.Success, new PasswordHasher<User>().VerifyHashedPassword(user, user.PasswordHash!, Password));
        using var login = app.NewClient();
        await login.LoginAsync("mapped-jane", Password);
    }

    [Fact]
    public async Task Create_when_required_updates_the_pending_user_and_always_create_makes_another()
    {
        const string slug = "write-modes";
        var (flow, _) = await FlowAsync(app, slug,
        [
            Account(slug, Field(slug, "name", order: 3)),
            new UserWriteStage { Name = $"{slug}-write-1" },
            PromptStageOf($"{slug}-second", Field($"{slug}-second", "name")),
            new UserWriteStage { Name = $"{slug}-write-2", UserCreationMode = UserCreationMode.CreateWhenRequired },
            PromptStageOf($"{slug}-third", Field($"{slug}-third", "username", PromptType.Username)),
            new UserWriteStage { Name = $"{slug}-write-3", UserCreationMode = UserCreationMode.AlwaysCreate },
        ]);
        using var client = app.NewClient();

        await WalkStagesAsync(client, FlowUrl(flow), [.. Answers("modes-jane"), ("name", "First")], [("name", "Second")], [("username", "modes-other")]);

        var jane = await UserNamedAsync("modes-jane");
        Assert.Equal("Second", jane.Name); // create_when_required with a pending user: updated, not duplicated
        var other = await UserNamedAsync("modes-other"); // always_create: a new user from the same prompt_data
        Assert.NotEqual(jane.Id, other.Id);
        Assert.Equal("Second", other.Name);
    }

    [Fact]
    public async Task Never_create_updates_a_pending_user_but_without_one_denies()
    {
        const string slug = "write-never";
        var (flow, _) = await FlowAsync(app, slug,
        [
            Account(slug, Field(slug, "name", order: 3)),
            new UserWriteStage { Name = $"{slug}-write-1" },
            PromptStageOf($"{slug}-second", Field($"{slug}-second", "name")),
            new UserWriteStage { Name = $"{slug}-write-2", UserCreationMode = UserCreationMode.NeverCreate },
        ]);
        using (var client = app.NewClient())
            await WalkStagesAsync(client, FlowUrl(flow), [.. Answers("never-jane"), ("name", "First")], [("name", "Second")]);
        Assert.Equal("Second", (await UserNamedAsync("never-jane")).Name);

        const string alone = "write-never-alone";
        var (aloneFlow, _) = await FlowAsync(app, alone, [Account(alone), new UserWriteStage { Name = $"{alone}-write", UserCreationMode = UserCreationMode.NeverCreate }]);
        using var other = app.NewClient();
        var page = await WalkStagesAsync(other, FlowUrl(aloneFlow), Answers("never-created"));
        Assert.Equal("No user found and can't create new user.", Denial(page));
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "never-created")));
    }

    [Fact]
    public async Task Users_created_as_inactive_are_not_signed_in_by_the_login_stage()
    {
        const string slug = "write-inactive";
        var (flow, _) = await FlowAsync(app, slug,
            [Account(slug), new UserWriteStage { Name = $"{slug}-write", CreateUsersAsInactive = true, UserType = UserType.Internal }, new UserLoginStage { Name = $"{slug}-login" }]);
        using var client = app.NewClient();

        var page = await WalkStagesAsync(client, FlowUrl(flow), Answers("inactive-jane"));
        Assert.Equal("Your account is not active yet. You will be able to sign in once it is activated.", Denial(page));
        Assert.False((await UserNamedAsync("inactive-jane")).IsActive);
        await AssertSignedOutAsync(client);
    }

    [Fact]
    public async Task Without_prompt_data_the_stage_denies_with_no_pending_data()
    {
        const string slug = "write-no-data";
        var (flow, _) = await FlowAsync(app, slug,
            [new InvitationStage { Name = $"{slug}-inv", ContinueFlowWithoutInvitation = true }, new UserWriteStage { Name = $"{slug}-write" }]);
        var before = await app.DbAsync(db => db.Users.CountAsync());
        using var client = app.NewClient();

        var page = await client.GetPageAsync(FlowUrl(flow));
        Assert.Equal("No Pending data.", Denial(page));
        Assert.Equal(before, await app.DbAsync(db => db.Users.CountAsync()));
    }
}
