using Enrollment.Domain;
using Enrollment.Features.FlowExecution;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Stages.Prompt;

using Prompt = Enrollment.Domain.Prompt;

/// <summary>
/// The invitation in effect's rule for the flow's email prompt (<see cref="InvitationAddresses"/>): the address it is
/// bound to, the domains it admits. The email prompt is the stage's prompt with field key <c>email</c>, else its
/// prompts of type email.
/// </summary>
internal sealed record AddressRule(string? Email, IReadOnlyList<string> Domains)
{
    public static async Task<AddressRule?> ForAsync(AppDbContext db, PlanContext context, CancellationToken ct)
    {
        if (context.InvitationId is not { } id) return null;
        var rule = await Query(db, id, ct);
        return rule is null || (rule.Email is null && rule.Domains.Count == 0) ? null : rule;
    }

    public static bool IsAddressPrompt(Prompt p, IReadOnlyList<Prompt> stagePrompts) =>
        !PromptValues.IsDisplayOnly(p.Type)
        && (p.FieldKey == "email" || (p.Type == PromptType.Email && stagePrompts.All(o => o.FieldKey != "email")));

    /// <summary>Why <paramref name="address"/> is refused (put into <paramref name="words"/>), or null.</summary>
    public string? Refusal(string? address, Func<string, object[], string> words) =>
        InvitationAddresses.Refusal(Email, Domains, string.IsNullOrWhiteSpace(address) ? null : address.Trim(), words);

    private static readonly Func<AppDbContext, Guid, CancellationToken, Task<AddressRule?>> Query =
        EF.CompileAsyncQuery((AppDbContext db, Guid id, CancellationToken ct) =>
            db.Invitations.AsNoTracking().Where(i => i.Id == id).Select(i => new AddressRule(i.Email, i.EmailDomains)).SingleOrDefault());
}
