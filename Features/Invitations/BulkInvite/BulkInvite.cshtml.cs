using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using System.ComponentModel.DataAnnotations;
using Enrollment.Features.Invitations.Shared;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Invitations.BulkInvite;

/// <summary>
/// Invitations › Bulk invite: paste addresses or upload a CSV, and every recipient gets an invitation of their own,
/// pre-filled with their address, and an email with its link. Bad rows are reported, the rest go ahead.
/// </summary>
[RequestSizeLimit(BulkInviteLimits.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = BulkInviteLimits.MaxRequestBytes, ValueLengthLimit = BulkInviteLimits.MaxRequestBytes)]
[BulkInviteTooLargeIs413]
public sealed class BulkInvite(ISender sender) : PageModel
{
    [BindProperty] public Command Input { get; set; } = new();
    public FormData Form { get; private set; } = new([], []);
    /// <summary>Rows left out of a list that was not accepted, shown with the form's errors.</summary>
    public IReadOnlyList<RejectedRow> Rejected { get; private set; } = [];

    public async Task OnGetAsync([FromQuery] string? flow)
    {
        Input.FlowSlug = flow;
        Form = await sender.Send(new FormQuery());
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var tooLarge = false;
        if (ModelState.IsValid)
        {
            var result = await sender.Send(Input);
            if (result.Succeeded)
            {
                TempData["Flash"] = $"{result.Created:N0} invitation{(result.Created == 1 ? "" : "s")} created; the emails are on their way."
                                    + (result.Rejected.Count > 0 ? $" {result.Rejected.Count:N0} row{(result.Rejected.Count == 1 ? " was" : "s were")} left out, listed below." : "");
                return Redirect($"/if/admin/invitations/bulk/{result.RunId}/");
            }
            ModelState.AddErrors(result.Errors);
            Rejected = result.Rejected;
            tooLarge = result.TooLarge;
        }
        // A list over the limit is not sent back into the textarea (megabytes the admin must split anyway).
        if (tooLarge) ModelState.SetModelValue($"{nameof(Input)}.{nameof(Command.Addresses)}", rawValue: "", attemptedValue: "");
        // htmx 2 swaps only 2xx answers; a browser without JavaScript, a script or a test reads the status.
        if (!Request.IsHtmx()) Response.StatusCode = tooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status422UnprocessableEntity;
        Form = await sender.Send(new FormQuery());
        return Page();
    }

    public sealed class Command : ICommand<Result>
    {
        [Required(ErrorMessage = "Choose the enrollment flow the invitations are for.")]
        public string? FlowSlug { get; set; }

        /// <summary>As a datetime-local input sends it; parsed by the handler for a clear message.</summary>
        public string? Expires { get; set; }

        /// <summary>Each invitation is for one person, so single use is the default.</summary>
        public bool SingleUse { get; set; } = true;

        /// <summary>Pasted text: one address a line, optionally <c>,name</c> after it; or CSV with a header.</summary>
        public string? Addresses { get; set; }

        /// <summary>A CSV file with a header row and an <c>email</c> column.</summary>
        public IFormFile? CsvFile { get; set; }

        /// <summary>Days until each recipient's reminder (unless they enroll first); empty: none.</summary>
        public int? RemindAfterDays { get; set; }

        /// <summary>Recipients already read (the API's JSON list); when set, <see cref="Addresses"/> and <see cref="CsvFile"/> are not.</summary>
        [BindNever] public RecipientList? Recipients { get; set; }

        /// <summary>Whether to email the invitations; false creates them only (the API's <c>send: false</c>).</summary>
        [BindNever] public bool Send { get; set; } = true;

        /// <summary><c>fixed_data</c> every invitation gets, under each recipient's own (the API's template).</summary>
        [BindNever] public JsonObject? TemplateData { get; set; }
    }

    /// <summary>The run that was created, or the errors (and the rows that were rejected) when nothing was.</summary>
    public sealed record Result(Guid? RunId, int Created, IReadOnlyList<FieldError> Errors, IReadOnlyList<RejectedRow> Rejected, bool TooLarge = false)
    {
        public bool Succeeded => Errors.Count == 0;
    }

    public sealed record FormQuery : IQuery<FormData>;

    public sealed record FormData(IReadOnlyList<SelectListItem> Flows, IReadOnlyList<RecentRun> Recent);

    public sealed record RecentRun(Guid Id, DateTime Created, string? FlowName, string? CreatedBy, int Total, int Sent, int Failed);

    internal sealed class FormHandler(AppDbContext db) : IQueryHandler<FormQuery, FormData>
    {
        public async ValueTask<FormData> Handle(FormQuery query, CancellationToken ct)
        {
            var flows = await InvitationFields.EnrollmentFlowsAsync(db, ct);
            var runs = await db.BulkInvitations.AsNoTracking().OrderByDescending(b => b.Created).Take(10)
                .Select(b => new { b.Id, b.Created, FlowName = b.Flow!.Name, CreatedBy = b.CreatedBy!.UserName, b.Total })
                .ToListAsync(ct);
            var ids = runs.Select(r => r.Id).ToList();
            var counts = await db.InvitationDeliveries.AsNoTracking()
                .Where(d => d.BulkInvitationId != null && ids.Contains(d.BulkInvitationId.Value) && !d.IsReminder)
                .GroupBy(d => new { d.BulkInvitationId, d.State })
                .Select(g => new { g.Key.BulkInvitationId, g.Key.State, Count = g.Count() })
                .ToListAsync(ct);
            int Count(Guid id, Domain.DeliveryState state) => counts.Where(c => c.BulkInvitationId == id && c.State == state).Sum(c => c.Count);
            return new FormData(flows, runs.Select(r => new RecentRun(r.Id, r.Created, r.FlowName, r.CreatedBy, r.Total,
                Count(r.Id, Domain.DeliveryState.Sent), Count(r.Id, Domain.DeliveryState.Failed))).ToList());
        }
    }
}
