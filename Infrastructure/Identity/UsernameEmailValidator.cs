using Enrollment.Domain;
using Microsoft.AspNetCore.Identity;

namespace Enrollment.Infrastructure.Identity;

/// <summary><see cref="User.UsernameShadowsEmail"/> for every user Identity creates or updates.</summary>
internal sealed class UsernameEmailValidator : IUserValidator<User>
{
    public const string Code = "UsernameIsAnotherEmail";

    public Task<IdentityResult> ValidateAsync(UserManager<User> manager, User user) =>
        Task.FromResult(User.UsernameShadowsEmail(user.UserName, user.Email)
            ? IdentityResult.Failed(new IdentityError { Code = Code, Description = User.UsernameIsAnotherEmail })
            : IdentityResult.Success);
}
