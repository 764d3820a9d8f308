using System.Net.Mail;

namespace Enrollment.Domain;

/// <summary>
/// "Is this address allowed by this invitation", stated once: the prompt stage asks it next to the email field, the
/// user write stage asks it again of the address it is about to save, the email stage asks whether the invitation
/// already proves the address, and the invitation's forms, the API and blueprints check the values they save with it.
/// Addresses compare trimmed and ignoring case. A domain admits itself and its subdomains: <c>example.com</c> admits
/// <c>a@example.com</c> and <c>a@eu.example.com</c>, not <c>a@badexample.com</c>.
/// </summary>
public static class InvitationAddresses
{
    /// <summary>The most domains one invitation may list.</summary>
    public const int MaxDomains = 100;

    /// <summary>The longest address (RFC 5321's path limit, less the angle brackets).</summary>
    public const int MaxEmailLength = 254;

    /// <summary>An invitation's own address outside its domains: nobody could enroll with it.</summary>
    public const string NotInDomains = "This address is not in any of the invitation's email domains, so nobody could enroll. Change the address or the domains.";

    public const string WrongAddress = "This invitation is for a different email address. Use the address the invitation was sent to.";
    public const string WrongDomainOne = "This invitation only accepts email addresses in the domain {0} (or a subdomain).";
    public const string WrongDomainMany = "This invitation only accepts email addresses in the domains {0} (or a subdomain).";
    public const string MoreDomains = "{0} and {1} more";

    /// <summary>The refusal for an address outside <paramref name="domains"/>, naming them (the first ten, for long lists).</summary>
    /// <param name="words">Puts the texts into words (<see cref="English.Format"/> when null; a localizer for invitees).</param>
    public static string WrongDomain(IReadOnlyList<string> domains, Func<string, object[], string>? words = null)
    {
        words ??= English.Format;
        var named = string.Join(", ", domains.Take(10));
        if (domains.Count > 10) named = words(MoreDomains, [named, domains.Count - 10]);
        return words(domains.Count == 1 ? WrongDomainOne : WrongDomainMany, [named]);
    }

    /// <summary>Why <paramref name="address"/> may not enroll with <paramref name="invitation"/>, or null when it may.</summary>
    public static string? Refusal(this Invitation invitation, string? address) => Refusal(invitation.Email, invitation.EmailDomains, address);

    /// <inheritdoc cref="Refusal(Invitation, string?)"/>
    /// <param name="words">As for <see cref="WrongDomain"/>.</param>
    public static string? Refusal(string? boundEmail, IReadOnlyList<string> domains, string? address, Func<string, object[], string>? words = null)
    {
        words ??= English.Format;
        if (boundEmail is not null && !SameAddress(boundEmail, address)) return words(WrongAddress, []);
        if (domains.Count > 0 && (address is null || !domains.Any(d => InDomain(address, d)))) return WrongDomain(domains, words);
        return null;
    }

    /// <summary>The invitation is bound to <paramref name="address"/>: its link, sent there, already proved the address.</summary>
    public static bool Proves(this Invitation invitation, string? address) => invitation.Email is not null && SameAddress(invitation.Email, address);

    public static bool SameAddress(string? a, string? b) =>
        a is not null && b is not null && string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>The address's domain is <paramref name="domain"/> or one of its subdomains.</summary>
    public static bool InDomain(string address, string domain)
    {
        var at = address.LastIndexOf('@');
        if (at < 0) return false;
        var host = NormalizeDomain(address[(at + 1)..]);
        var d = NormalizeDomain(domain);
        return d.Length > 0 && (host == d || host.EndsWith("." + d, StringComparison.Ordinal));
    }

    /// <summary>A domain as stored and compared: trimmed, without a trailing dot, in lower case.</summary>
    public static string NormalizeDomain(string domain) => domain.Trim().TrimEnd('.').ToLowerInvariant();

    /// <summary>An address as stored: trimmed (its case is kept; comparisons ignore it).</summary>
    public static string NormalizeEmail(string address) => address.Trim();

    /// <summary>Why <paramref name="address"/> cannot be an invitation's address, or null.</summary>
    public static string? EmailProblem(string address)
    {
        var text = address.Trim();
        if (text.Length == 0) return "Enter an email address, or leave it empty.";
        if (text.Length > MaxEmailLength) return $"Use at most {MaxEmailLength} characters.";
        if (text.Any(char.IsWhiteSpace) || text.Count(c => c == '@') != 1
            || !MailAddress.TryCreate(text, out var parsed) || parsed.Address != text || !parsed.Host.Contains('.'))
            return "Enter a valid email address, like jane@example.com.";
        return null;
    }

    /// <summary>Why <paramref name="domain"/> cannot be in an invitation's domains, or null: a domain name, without @ or spaces.</summary>
    public static string? DomainProblem(string domain)
    {
        var d = NormalizeDomain(domain);
        if (d.Length == 0) return "Enter a domain name, like example.com.";
        if (d.Contains('@')) return $"“{Shorten(domain)}” is not a domain name: enter only the part after the @, like example.com.";
        if (d.Any(char.IsWhiteSpace)) return $"“{Shorten(domain)}” is not a domain name: it contains a space.";
        var labels = d.Split('.');
        if (d.Length > 253 || labels.Length < 2
            || labels.Any(l => l.Length is 0 or > 63 || l[0] == '-' || l[^1] == '-' || !l.All(c => char.IsLetterOrDigit(c) || c == '-')))
            return $"“{Shorten(domain)}” is not a domain name; enter one like example.com.";
        return null;
    }

    /// <summary>
    /// Checks an invitation's address and domains together: each must be valid, at most <see cref="MaxDomains"/>
    /// domains, and a bound address must lie in the domains when both are given (else nobody could enroll). Returns
    /// the normalized, de-duplicated domains and the problems keyed <c>email</c> or <c>email_domains</c>.
    /// </summary>
    public static (string? Email, List<string> Domains, List<(string Field, string Message)> Problems) Check(string? email, IReadOnlyList<string>? domains)
    {
        var problems = new List<(string, string)>();
        string? bound = null;
        if (email is not null)
        {
            if (EmailProblem(email) is { } e) problems.Add(("email", e));
            else bound = NormalizeEmail(email);
        }
        var list = new List<string>();
        if (domains is not null)
        {
            if (domains.Count > MaxDomains) problems.Add(("email_domains", $"List at most {MaxDomains} domains ({domains.Count} given)."));
            else
                foreach (var d in domains)
                {
                    if (DomainProblem(d) is { } p) problems.Add(("email_domains", p));
                    else if (!list.Contains(NormalizeDomain(d))) list.Add(NormalizeDomain(d));
                }
        }
        if (problems.Count == 0 && bound is not null && list.Count > 0 && !list.Any(d => InDomain(bound, d)))
            problems.Add(("email", NotInDomains));
        return (bound, list, problems);
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
