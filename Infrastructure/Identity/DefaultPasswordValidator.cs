using Enrollment.Domain;
using Enrollment.Infrastructure.Passwords;
using Microsoft.AspNetCore.Identity;

namespace Enrollment.Infrastructure.Identity;

/// <summary>
/// Identity's only password validator: <see cref="PasswordPolicy.Default"/> (at least 8 characters, no composition
/// rules, a zxcvbn score of at least 2), for every password set outside a flow — the API's <c>set_password</c>,
/// blueprint users, the initial set-up and the bootstrap password. It replaces Identity's composition rules (digit,
/// upper- and lowercase, non-alphanumeric), which current guidance (NIST SP 800-63B) advises against.
/// </summary>
internal sealed class DefaultPasswordValidator(PasswordChecker checker) : IPasswordValidator<User>
{
    public const string Code = "PasswordPolicy";

    public async Task<IdentityResult> ValidateAsync(UserManager<User> manager, User user, string? password)
    {
        var verdict = await checker.CheckAsync(PasswordPolicy.Default, password ?? "", [user.UserName ?? "", user.Email ?? "", user.Name], CancellationToken.None);
        return verdict.Passing
            ? IdentityResult.Success
            : IdentityResult.Failed([.. verdict.Messages.Select(m => new IdentityError { Code = Code, Description = m })]);
    }
}
