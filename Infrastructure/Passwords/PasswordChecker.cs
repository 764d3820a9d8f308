using System.Globalization;
using Enrollment.Domain;

namespace Enrollment.Infrastructure.Passwords;

/// <summary>
/// Applies a <see cref="PasswordPolicy"/> to a password, in authentik's order: the static rules, then Have I Been
/// Pwned, then zxcvbn; the first check that fails answers. A breach service that does not answer skips its check.
/// </summary>
public sealed class PasswordChecker(PwnedPasswords pwned)
{
    public const string TooWeak = "This password is too easy to guess.";

    /// <param name="userInputs">Words zxcvbn should treat as guessable for this person: their username, name, email.</param>
    public async Task<PasswordVerdict> CheckAsync(PasswordPolicy policy, string password, IEnumerable<string>? userInputs, CancellationToken ct)
    {
        var problems = policy.StaticProblems(password);
        if (problems.Count > 0) return new(false, policy.ErrorMessage.Trim().Length > 0 ? [policy.ErrorMessage.Trim()] : problems);

        int? breaches = null;
        if (policy.CheckHaveIBeenPwned)
        {
            breaches = await pwned.CountAsync(password, ct);
            if (breaches is { } count && policy.TooOftenPwned(count)) return new(false, [Breached(count)], Breaches: count);
        }
        var skipped = policy.CheckHaveIBeenPwned && breaches is null;
        if (policy.CheckZxcvbn)
        {
            var estimate = PasswordStrength.Estimate(password, userInputs);
            if (policy.TooWeak(estimate.Score))
                return new(false, [string.Join(" ", [TooWeak, .. estimate.Suggestions])], estimate.Score, breaches, skipped);
            return new(true, [], estimate.Score, breaches, skipped);
        }
        return new(true, [], null, breaches, skipped);
    }

    public static string Breached(int count) =>
        $"This password has appeared in known data breaches {count.ToString("N0", CultureInfo.InvariantCulture)} {(count == 1 ? "time" : "times")}. Choose a different one.";
}
