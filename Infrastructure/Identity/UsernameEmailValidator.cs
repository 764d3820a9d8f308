using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Identity;

/// <summary>
/// <see cref="User.UsernameShadowsEmail"/> for every user Identity creates, and for every update that sets the
/// username or the email. An update that leaves both alone passes: Identity updates the user when a sign-in fails or
/// succeeds after a failure (the lockout counter), and an account from before the rule must go on signing in and
/// being locked out.
/// </summary>
internal sealed class UsernameEmailValidator(AppDbContext db) : IUserValidator<User>
{
    public const string Code = "UsernameIsAnotherEmail";

    public Task<IdentityResult> ValidateAsync(UserManager<User> manager, User user)
    {
        var entry = db.Entry(user);
        var setting = entry.State is EntityState.Detached or EntityState.Added
                      || entry.Property(u => u.UserName).IsModified || entry.Property(u => u.Email).IsModified;
        return Task.FromResult(setting && User.UsernameShadowsEmail(user.UserName, user.Email)
            ? IdentityResult.Failed(new IdentityError { Code = Code, Description = User.UsernameIsAnotherEmail })
            : IdentityResult.Success);
    }
}
