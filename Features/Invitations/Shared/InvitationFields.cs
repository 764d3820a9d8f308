using System.Globalization;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Invitations.Shared;

/// <summary>
/// The fields every invitation form shares (create and edit one, bulk invite): the expiry as a datetime-local input
/// sends it, and the enrollment flow chosen by slug. One wording of their errors for all forms.
/// </summary>
public static class InvitationFields
{
    private static readonly string[] DateFormats = ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.fff", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"];

    /// <summary>Empty is "never expires"; otherwise a UTC date and time in the future.</summary>
    public static (DateTime? Value, string? Error) ParseExpires(string? text, DateTime now)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, null);
        if (!DateTime.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            return (null, "Enter a date and time like 2026-12-31T17:00, or leave it empty.");
        if (parsed <= now) return (parsed, "This date is in the past; the invitation would be expired at once.");
        return (parsed, null);
    }

    /// <summary>
    /// An expiry as a datetime-local input shows it: to the minute, or to the second or millisecond when it has them (set
    /// over the API), so posting the value back unchanged names the same instant (<see cref="SameInstantShown"/>).
    /// </summary>
    public static string? FormatExpires(DateTime? value) => value switch
    {
        null => null,
        { Second: 0, Millisecond: 0 } v => v.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture),
        { Millisecond: 0 } v => v.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        { } v => v.ToString("yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture),
    };

    /// <summary>Whether <paramref name="shown"/> is <paramref name="stored"/> as <see cref="FormatExpires"/> shows it (finer than a millisecond is not shown).</summary>
    public static bool SameInstantShown(DateTime shown, DateTime stored) =>
        shown == new DateTime(stored.Ticks - stored.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    /// <summary>Empty is "no limit"; otherwise a whole number of at least 1.</summary>
    public static (int? Value, string? Error) ParseMaxUses(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, null);
        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return (null, "Enter a whole number, or leave it empty for no limit.");
        if (value < 1) return (null, "An invitation admits at least one enrollment; leave it empty for no limit.");
        return (value, null);
    }

    /// <summary>The enrollment flow with <paramref name="slug"/>, or why it cannot be used.</summary>
    public static async Task<(Guid? Id, string? Error)> FindEnrollmentFlowAsync(AppDbContext db, string? slug, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(slug)) return (null, "Choose the enrollment flow this invitation is for.");
        var flow = await db.Flows.AsNoTracking().Where(f => f.Slug == slug).Select(f => new { f.Id, f.Designation }).SingleOrDefaultAsync(ct);
        if (flow is null) return (null, "That flow does not exist.");
        if (flow.Designation != FlowDesignation.Enrollment) return (null, "Choose a flow with the designation “enrollment”.");
        return (flow.Id, null);
    }

    /// <summary>The choices of the flow drop-down: enrollment flows, by name.</summary>
    public static async Task<IReadOnlyList<SelectListItem>> EnrollmentFlowsAsync(AppDbContext db, CancellationToken ct) =>
        await db.Flows.AsNoTracking().Where(f => f.Designation == FlowDesignation.Enrollment).OrderBy(f => f.Name)
            .Select(f => new SelectListItem(f.Name + " (" + f.Slug + ")", f.Slug)).ToListAsync(ct);
}
