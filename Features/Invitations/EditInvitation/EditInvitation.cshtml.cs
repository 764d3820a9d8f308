using Enrollment.Features.Invitations.Shared;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Serialization;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;
using UpdateCommand = Enrollment.Features.Invitations.UpdateInvitation.UpdateInvitation.Command;

namespace Enrollment.Features.Invitations.EditInvitation;

/// <summary>
/// Invitations › one invitation › Edit: the create page's fields (<c>_InvitationFields</c>), filled with what the
/// invitation holds now. The form goes into the same <see cref="UpdateCommand"/> the API's <c>PUT</c> and
/// <c>PATCH</c> send, so both check, write and record (<c>model_updated</c>) an invitation alike. A plain POST form: with
/// JavaScript on, htmx's boost posts it and swaps the page it is answered with, as on the create page.
/// </summary>
public sealed partial class EditInvitation(ISender sender) : PageModel
{
    [FromRoute] public Guid Id { get; set; }
    [BindProperty] public Form Input { get; set; } = new();
    public View Data { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        if (await sender.Send(new Query(Id)) is not { } view) return NotFound();
        Data = view;
        Input = view.Form;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (ModelState.IsValid)
        {
            Input.InvitationId = Id;
            var result = await sender.Send(new UpdateCommand(Id, Input));
            if (!result.Found) return NotFound();
            if (result.Succeeded)
            {
                TempData["Flash"] = $"Invitation “{Input.Name.Trim()}” saved.";
                return Redirect($"/if/admin/invitations/{Id}/");
            }
            ModelState.AddErrors(result.Errors);
        }
        // The form again with what was entered; an invitation deleted meanwhile has no form to show.
        if (await sender.Send(new Query(Id)) is not { } again) return NotFound();
        Data = again;
        return Page();
    }

    public sealed record Query(Guid Id) : IQuery<View?>;

    /// <param name="Name">The invitation's name as saved (the heading), whatever the form holds.</param>
    /// <param name="Form">The fields filled with the invitation's values.</param>
    /// <param name="Uses">Enrollments made so far: max uses cannot go below them.</param>
    /// <param name="MissingGroups">Groups of the invitation deleted since: not offered, so saving drops them.</param>
    public sealed record View(string Name, Form Form, int Uses, int MissingGroups,
        IReadOnlyList<SelectListItem> Flows, IReadOnlyList<GroupChoices.Choice> Groups);

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, View?>
    {
        public async ValueTask<View?> Handle(Query query, CancellationToken ct)
        {
            var i = await db.Invitations.AsNoTracking().Where(x => x.Id == query.Id)
                .Select(x => new
                {
                    x.Name, x.Expires, FlowSlug = x.Flow!.Slug, x.FixedData, x.MaxUses, x.Uses, x.Email, x.EmailDomains,
                    Groups = x.Groups.Select(g => g.GroupId).ToList(),
                })
                .SingleOrDefaultAsync(ct);
            if (i is null) return null;
            var groups = await GroupChoices.LoadAsync(db, ct);
            var existing = i.Groups.Where(id => groups.Any(g => g.Id == id)).ToList();
            var pretty = StructuredText.Format(i.FixedData);
            var form = new Form
            {
                Name = i.Name,
                Expires = InvitationFields.FormatExpires(i.Expires),
                // A flow that is not an enrollment flow is not offered: the admin chooses one, as on the create page.
                FlowSlug = i.FlowSlug,
                // Pretty JSON reads best; compact when pretty would pass the field's limit (the API measures compact JSON).
                FixedData = i.FixedData.Count == 0 ? "" : pretty.Length <= 65536 ? pretty : i.FixedData.ToJsonString(),
                SingleUse = i.MaxUses == 1,
                MaxUses = i.MaxUses?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Groups = existing,
                Email = i.Email,
                EmailDomains = string.Join(", ", i.EmailDomains),
            };
            return new View(i.Name, form, i.Uses, i.Groups.Count - existing.Count, await InvitationFields.EnrollmentFlowsAsync(db, ct), groups);
        }
    }
}
