namespace Enrollment.Features.FlowExecution;

/// <summary>What a policy is asked about: who (the pending user, else the signed-in one) and the plan's context.</summary>
/// <param name="Passwords">
/// The passwords of the form being submitted, by field key, in clear: the context holds only their hashes
/// (<see cref="PasswordValue"/>), and a password policy must see what was typed. Never stored, never shown to expressions.
/// </param>
public sealed record PolicyRequest(int? UserId, PlanContext Context, IReadOnlyDictionary<string, string>? Passwords = null);
