using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Enrollment.Infrastructure.Identity;

public static class IdentityExtensions
{
    public const string SuperuserPolicy = "superuser";
    public const string ApiPolicy = "api";

    public static IServiceCollection AddEnrollmentIdentity(this IServiceCollection services)
    {
        services.AddIdentityCore<User>(o =>
            {
                // The default password policy decides (DefaultPasswordValidator); these say the same for anything reading them.
                o.Password.RequiredLength = PasswordPolicy.Default.LengthMin;
                o.Password.RequireDigit = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                o.User.RequireUniqueEmail = false;
            })
            .AddUserStore<UserStore>()
            .AddUserValidator<UsernameEmailValidator>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<UserPrincipalFactory>()
            .AddDefaultTokenProviders();
        // One validator, one message per problem: Identity's own (length and composition) is replaced by the default policy.
        services.RemoveAll<IPasswordValidator<User>>();
        services.AddScoped<IPasswordValidator<User>, DefaultPasswordValidator>();
        // Identity's own hasher (its options, its format, the same bytes; V3 hashes derived at less CPU), timed for the
        // password-hash metric.
        services.AddScoped<PasswordHasher<User>, IdentityV3PasswordHasher>();
        services.AddScoped<IPasswordHasher<User>, TimedPasswordHasher>();

        services.AddAuthentication(IdentityConstants.ApplicationScheme)
            .AddIdentityCookies(c => c.ApplicationCookie!.Configure(o =>
            {
                o.LoginPath = "/if/login/";
                o.LogoutPath = "/if/logout/";
                o.AccessDeniedPath = "/error/403/";
                o.ReturnUrlParameter = "next";
                o.Cookie.Name = "enrollment_session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            }));
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);

        services.AddScoped<SuperuserCheck>();
        services.AddScoped<IAuthorizationHandler, SuperuserHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(SuperuserPolicy, p => p.AddRequirements(new SuperuserRequirement()))
            .AddPolicy(ApiPolicy, p => p
                .AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName)
                .AddRequirements(new SuperuserRequirement()));
        return services;
    }
}
