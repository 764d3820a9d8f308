using System.ComponentModel.DataAnnotations;
using Enrollment.Features.Groups.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Groups.GroupMembers;

public sealed class GroupMembers(ISender sender) : PageModel
{
    [FromRoute] public Guid Id { get; set; }
    [BindProperty] public AddMember Input { get; set; } = new();
    public Members Data { get; private set; } = null!;

    public Task<IActionResult> OnGetAsync() => ShowAsync();

    public async Task<IActionResult> OnPostAddAsync()
    {
        if (!ModelState.IsValid) return await ShowAsync();
        Input.GroupId = Id;
        return await ApplyAsync(await sender.Send(Input), name => $"{name} added.");
    }

    public async Task<IActionResult> OnPostRemoveAsync(int userId)
    {
        ModelState.Clear(); // the add form's fields are not part of this post
        return await ApplyAsync(await sender.Send(new RemoveMember(Id, userId)), name => $"{name} removed.");
    }

    private async Task<IActionResult> ApplyAsync(FormResult<string>? result, Func<string, string> flash)
    {
        if (result is null) return NotFound();
        if (!result.Succeeded)
        {
            ModelState.AddErrors(result.Errors);
            return await ShowAsync();
        }
        TempData["Flash"] = flash(result.Value!);
        return Redirect($"/if/admin/groups/{Id}/members/");
    }

    private async Task<IActionResult> ShowAsync()
    {
        var data = await sender.Send(new Query(Id));
        if (data is null) return NotFound();
        Data = data;
        return Page();
    }

    public sealed record Query(Guid Id) : IQuery<Members?>;
    public sealed record Member(int Id, string UserName, string Name, bool IsActive);
    public sealed record Members(string Name, bool IsSuperuser, IReadOnlyList<Member> Users);

    public sealed class AddMember : ICommand<FormResult<string>?>
    {
        internal Guid GroupId { get; set; }

        [Required(ErrorMessage = "Enter a username.")]
        public string Username { get; set; } = "";
    }

    public sealed record RemoveMember(Guid GroupId, int UserId) : ICommand<FormResult<string>?>;

    internal sealed class Handler(AppDbContext db, AuditTrail audit)
        : IQueryHandler<Query, Members?>, ICommandHandler<AddMember, FormResult<string>?>, ICommandHandler<RemoveMember, FormResult<string>?>
    {
        public async ValueTask<Members?> Handle(Query query, CancellationToken ct) =>
            await db.Groups.AsNoTracking().Where(g => g.Id == query.Id)
                .Select(g => new Members(g.Name, g.IsSuperuser,
                    g.Users.OrderBy(u => u.UserName).Select(u => new Member(u.Id, u.UserName!, u.Name, u.IsActive)).ToList()))
                .SingleOrDefaultAsync(ct);

        public async ValueTask<FormResult<string>?> Handle(AddMember command, CancellationToken ct)
        {
            var group = await db.Groups.Include(g => g.Users).SingleOrDefaultAsync(g => g.Id == command.GroupId, ct);
            if (group is null) return null;
            var username = command.Username.Trim();
            var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == username, ct);
            if (user is null) return FormResult<string>.Fail(nameof(AddMember.Username), $"There is no user named “{username}”.");
            if (group.Users.Any(u => u.Id == user.Id)) return FormResult<string>.Fail(nameof(AddMember.Username), $"{username} is already a member.");
            group.Users.Add(user);
            audit.Record("model_updated", AuditTrail.Model("authentik_core", group.Name, group.Id, "group"));
            await db.SaveChangesAsync(ct);
            return FormResult<string>.Ok(username);
        }

        public async ValueTask<FormResult<string>?> Handle(RemoveMember command, CancellationToken ct)
        {
            var group = await db.Groups.Include(g => g.Users.Where(u => u.Id == command.UserId)).SingleOrDefaultAsync(g => g.Id == command.GroupId, ct);
            if (group?.Users.SingleOrDefault() is not { } user) return null;
            if (!await SuperuserGuard.AnyActiveSuperuserAfterAsync(db, ct, leaving: (user.Id, group.Id)))
                return FormResult<string>.Fail("", SuperuserGuard.Refusal);
            group.Users.Remove(user);
            audit.Record("model_updated", AuditTrail.Model("authentik_core", group.Name, group.Id, "group"));
            await db.SaveChangesAsync(ct);
            return FormResult<string>.Ok(user.UserName!);
        }
    }
}
