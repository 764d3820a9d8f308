using System.Text.RegularExpressions;
using Enrollment.Domain;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Blueprints.Models;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Invitations.Shared;

/// <summary>authentik's <c>authentik_stages_invitation.invitation</c>, as blueprints create invitations.</summary>
internal static partial class InvitationBlueprint
{
    public const string Name = "authentik_stages_invitation.invitation";
    private const string FlowModel = "authentik_flows.flow";
    private const string GroupModel = "authentik_core.group";

    [GeneratedRegex("^[-a-zA-Z0-9_]+$")]
    private static partial Regex NamePattern();

    /// <summary>Counted by enrollments, never imported: saying so beats "unknown field" for a value copied from the API.</summary>
    private static Field<Invitation> ReadOnly(string name) => Fields<Invitation>.Custom(name,
        _ => throw new BlueprintException("is read-only: it follows from the invitation's enrollments and cannot be imported."),
        (_, _, _) => Task.CompletedTask);

    public static IBlueprintModel Model() => new BlueprintModel<Invitation>
    {
        Name = Name,
        New = () => new Invitation { Name = "" },
        PkField = Keys.Guid<Invitation>(x => x.Id),
        GetPk = x => x.Id,
        Fields =
        [
            Fields<Invitation>.Text("name", x => x.Name, required: true, maxLength: 200,
                check: s => NamePattern().IsMatch(s) ? null : "use only letters, digits, '_' and '-'."),
            Fields<Invitation>.Timestamp("expires", x => x.Expires),
            Fields<Invitation>.Reference<Flow>("flow", FlowModel, x => x.FlowId),
            Fields<Invitation>.Flag("single_use", x => x.SingleUse),
            Fields<Invitation>.Json("fixed_data", x => x.FixedData),
            Fields<Invitation>.UserReference("created_by", x => x.CreatedById),
            GroupsField(),
            EmailField(),
            EmailDomainsField(),
            // Ours: written by exports only when set, so authentik reads our files. single_use and max_uses given
            // together are applied in the entry's order (single use is max uses 1).
            Fields<Invitation>.OptionalNumber("max_uses", x => x.MaxUses, 1, int.MaxValue),
            ReadOnly("uses"), ReadOnly("last_used"), ReadOnly("opens"), ReadOnly("status"),
        ],
        Required = [["name"]],
        Validate = x => x.Email is { } email && x.EmailDomains.Count > 0 && !x.EmailDomains.Any(d => InvitationAddresses.InDomain(email, d))
            ? ("email", "is not in any of the invitation's email_domains, so nobody could enroll.")
            : null,
    };

    /// <summary><c>groups</c>: pks of existing groups, replacing the list; exported (as <c>!KeyOf</c>) only when there are any.</summary>
    private static Field<Invitation> GroupsField() => new()
    {
        Name = "groups",
        Convert = v => FieldValues.List(v).Select((item, i) =>
        {
            try { return FieldValues.Key(item, nullable: false)!.Value; }
            catch (BlueprintException e) { throw new BlueprintException($"item {i}: {e.Message}"); }
        }).Distinct().ToList(),
        Write = async (e, v, ctx) =>
        {
            var ids = (List<Guid>)v!;
            await References.LoadAsync<Domain.Group>(ctx, ids, GroupModel); // every one must exist
            var entry = ctx.Db.Entry(e);
            if (entry.State is EntityState.Unchanged or EntityState.Modified && !entry.Collection(x => x.Groups).IsLoaded)
                await entry.Collection(x => x.Groups).LoadAsync(ctx.Ct);
            new InvitationValues { Groups = ids }.ApplyTo(e);
        },
        Export = (e, w, ctx) =>
        {
            w.List();
            foreach (var g in e.Groups) w.KeyOf(ctx.EntryId(g.GroupId));
            w.EndList();
        },
        IsNull = e => e.Groups.Count == 0,
        OmittedWhenNull = true,
        References = e => e.Groups.Select(g => (GroupModel, g.GroupId)),
    };

    /// <summary><c>email</c>: the one address that may enroll (null or empty: any); exported only when set.</summary>
    private static Field<Invitation> EmailField() => new()
    {
        Name = "email",
        Convert = v => FieldValues.Text(v, nullable: true) is { } text && text.Trim().Length > 0
            ? InvitationAddresses.EmailProblem(text) is { } problem ? throw new BlueprintException(problem) : InvitationAddresses.NormalizeEmail(text)
            : null,
        Write = (e, v, _) => { e.Email = (string?)v; return Task.CompletedTask; },
        Export = (e, w, _) => w.Text(e.Email),
        IsNull = e => e.Email is null,
        OmittedWhenNull = true,
    };

    /// <summary><c>email_domains</c>: a list of domain names (<see cref="InvitationAddresses"/>); exported only when there are any.</summary>
    private static Field<Invitation> EmailDomainsField() => new()
    {
        Name = "email_domains",
        Convert = v =>
        {
            var items = v is null ? [] : FieldValues.List(v);
            if (items.Count > InvitationAddresses.MaxDomains) throw new BlueprintException($"lists {items.Count} domains; at most {InvitationAddresses.MaxDomains} are allowed.");
            var domains = new List<string>();
            for (var i = 0; i < items.Count; i++)
            {
                var text = items[i] as string ?? throw new BlueprintException($"item {i}: expected a domain name such as example.com.");
                if (InvitationAddresses.DomainProblem(text) is { } problem) throw new BlueprintException($"item {i}: {problem}");
                if (!domains.Contains(InvitationAddresses.NormalizeDomain(text))) domains.Add(InvitationAddresses.NormalizeDomain(text));
            }
            return domains;
        },
        Write = (e, v, _) =>
        {
            var domains = (List<string>)v!;
            if (!e.EmailDomains.SequenceEqual(domains)) e.EmailDomains = domains; // an unchanged list is no change on re-import
            return Task.CompletedTask;
        },
        Export = (e, w, _) =>
        {
            w.List();
            foreach (var d in e.EmailDomains) w.Text(d);
            w.EndList();
        },
        IsNull = e => e.EmailDomains.Count == 0,
        OmittedWhenNull = true,
    };
}
