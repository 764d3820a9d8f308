using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Features.Users.UserPages;

namespace Enrollment.Tests.Features.Users;

/// <summary><c>/if/admin/users/{id}/delete/</c>: what goes with a user, and the event it records.</summary>
[Collection(UsersCollection.Name)]
public sealed class DeleteUserTests(Hosts.Default app)
{
    [Fact]
    public async Task Deleting_a_user_deletes_their_policy_bindings_and_records_an_event()
    {
        var id = await CreateUserAsync(app, "delete-fred");
        var bindingId = await app.DbAsync(async db =>
        {
            var flow = new Flow { Name = "Delete user flow", Slug = "delete-user-flow" };
            var binding = new PolicyBinding { Flow = flow, UserId = id };
            db.AddRange(flow, binding);
            await db.SaveChangesAsync();
            return binding.Id;
        });
        using var client = await app.AdminClientAsync();
        var confirm = await client.GetPageAsync($"/if/admin/users/{id}/delete/");
        Assert.Contains("delete-fred", confirm.QuerySelector("h1")!.TextContent);

        (await client.PostFormAsync($"/if/admin/users/{id}/delete/")).AssertRedirect("/if/admin/users/");
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.Id == id)));
        Assert.False(await app.DbAsync(db => db.PolicyBindings.AnyAsync(b => b.Id == bindingId)));
        var events = await app.DbAsync(db => db.Events.Where(e => e.Action == "model_deleted").ToListAsync());
        Assert.Contains(events, e => (string?)e.Context["model"]?["name"] == "delete-fred");
    }
}
