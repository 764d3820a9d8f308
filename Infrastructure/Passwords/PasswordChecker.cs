using System.Globalization;
using Enrollment.Domain;
using Enrollment.Resources;
using Microsoft.Extensions.Localization;

namespace Enrollment.Infrastructure.Passwords;

/// <summary>
/// Applies a <see cref="PasswordPolicy"/> to a password, in authentik's order: the static rules, then Have I Been
/// Pwned, then zxcvbn; the first check that fails answers. A breach service that does not answer skips its check.
/// The messages are in the reader's language (the request's culture); the policy's own error message is the admin's.
/// </summary>
public sealed class PasswordChecker(PwnedPasswords pwned, IStringLocalizer<FlowTexts> t)
{
    public const string TooWeak = "This password is too easy to guess.";

    /// <param name="userInputs">Words zxcvbn should treat as guessable for this person: their username, name, email.</param>
    public async Task<PasswordVerdict> CheckAsync(PasswordPolicy policy, string password, IEnumerable<string>? userInputs, CancellationToken ct)
    {
        var problems = policy.StaticProblems(password, Words);
        if (problems.Count > 0) return new(false, policy.ErrorMessage.Trim().Length > 0 ? [policy.ErrorMessage.Trim()] : problems);

        int? breaches = null;
        if (policy.CheckHaveIBeenPwned)
        {
            breaches = await pwned.CountAsync(password, ct);
            if (breaches is { } count && policy.TooOftenPwned(count)) return new(false, [Breached(count, Words)], Breaches: count);
        }
        var skipped = policy.CheckHaveIBeenPwned && breaches is null;
        if (policy.CheckZxcvbn)
        {
            var estimate = PasswordStrength.Estimate(password, userInputs);
            if (policy.TooWeak(estimate.Score))
                return new(false, [string.Join(" ", [t[TooWeak].Value, .. estimate.Suggestions.Select(s => t[s].Value)])], estimate.Score, breaches, skipped);
            return new(true, [], estimate.Score, breaches, skipped);
        }
        return new(true, [], null, breaches, skipped);
    }

    /// <summary>The rules' words in the reader's language.</summary>
    private string Words(string english, object[] values) => t[english, values];

    private static string Breached(int count, Func<string, object[], string> words) => count == 1
        ? words("This password has appeared in known data breaches 1 time. Choose a different one.", [])
        : words("This password has appeared in known data breaches {0:N0} times. Choose a different one.", [count]);
}
