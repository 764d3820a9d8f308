using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Invitations.Shared;

/// <summary>
/// What an invitation binds its users to — the groups they join, the one address or the domains they may enroll
/// with — as every front door reads, checks and records it.
/// </summary>
public static class InvitationBinding
{
    public const string UnknownGroup = "does not exist (any more). Choose existing groups.";

    /// <summary>The pks among <paramref name="ids"/> that are no group.</summary>
    public static async Task<List<Guid>> MissingGroupsAsync(AppDbContext db, IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var wanted = ids.Distinct().ToList();
        var found = await db.Groups.AsNoTracking().Where(g => wanted.Contains(g.Id)).Select(g => g.Id).ToListAsync(ct);
        return wanted.Except(found).ToList();
    }

    /// <summary>
    /// Checks what <paramref name="invitation"/> would hold once <paramref name="values"/> are applied: a bound address
    /// must lie in the domains (a write may change only one of them). Problems go into <paramref name="errors"/> under
    /// the door's field names.
    /// </summary>
    public static void CheckTogether(Invitation invitation, InvitationValues values, IInvitationInput input, List<FieldError> errors)
    {
        var email = values.SetsEmail ? values.Email : invitation.Email;
        var domains = values.EmailDomains ?? invitation.EmailDomains;
        if (email is null || domains.Count == 0 || domains.Any(d => InvitationAddresses.InDomain(email, d))) return;
        errors.Add(new(input.FieldName(values.SetsEmail ? "email" : "email_domains"),
            InvitationAddresses.NotInDomains));
    }

    /// <summary>The binding as an event's context names it: <c>groups</c> (pks), <c>email</c>, <c>email_domains</c>, those that are set.</summary>
    public static void Describe(Invitation invitation, JsonObject context, bool evenIfEmpty = false)
    {
        if (evenIfEmpty || invitation.Groups.Count > 0)
            context["groups"] = new JsonArray(invitation.Groups.Select(g => (JsonNode)JsonValue.Create(g.GroupId.ToString())).ToArray());
        if (evenIfEmpty || invitation.Email is not null) context["email"] = invitation.Email;
        if (evenIfEmpty || invitation.EmailDomains.Count > 0)
            context["email_domains"] = new JsonArray(invitation.EmailDomains.Select(d => (JsonNode)JsonValue.Create(d)).ToArray());
    }

    /// <summary>Domains as an admin types them: separated by commas, semicolons, spaces or lines.</summary>
    public static List<string> SplitDomains(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split([',', ';', '\n', '\r', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
