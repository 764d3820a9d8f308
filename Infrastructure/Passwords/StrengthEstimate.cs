namespace Enrollment.Infrastructure.Passwords;

/// <param name="Score">zxcvbn's score, 0 (too guessable) to 4 (very unguessable).</param>
/// <param name="Suggestions">What would make the password harder to guess, from the patterns zxcvbn found in it.</param>
public sealed record StrengthEstimate(int Score, IReadOnlyList<string> Suggestions);
