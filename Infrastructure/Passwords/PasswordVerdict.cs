namespace Enrollment.Infrastructure.Passwords;

/// <param name="Messages">Why it failed, for the person choosing the password (empty when it passed).</param>
/// <param name="Score">The zxcvbn score, when the policy checked it.</param>
/// <param name="Breaches">How often the password was found in breaches, when the policy checked it and the service answered.</param>
/// <param name="BreachCheckSkipped">The policy asked for the breach check but the service did not answer.</param>
public sealed record PasswordVerdict(bool Passing, IReadOnlyList<string> Messages, int? Score = null, int? Breaches = null, bool BreachCheckSkipped = false);
