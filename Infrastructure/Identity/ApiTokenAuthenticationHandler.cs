using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Enrollment.Infrastructure.Identity;

/// <summary><c>Authorization: Bearer &lt;key&gt;</c> for API tokens of intent <c>api</c>, looked up by the key's digest.</summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AppDbContext db)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    public static string Digest(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var key = header["Bearer ".Length..].Trim();
        if (key.Length == 0) return AuthenticateResult.Fail("Empty token.");

        var digest = Digest(key);
        var now = DateTime.UtcNow;
        var token = await db.Tokens.AsNoTracking()
            .Where(t => t.KeyHash == digest && t.Intent == TokenIntent.Api)
            .Select(t => new { t.UserId, t.Expiring, t.Expires, t.User.UserName, t.User.IsActive, t.Identifier })
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (token is null) return AuthenticateResult.Fail("Token invalid.");
        if (token.Expiring && token.Expires is { } e && e <= now) return AuthenticateResult.Fail("Token expired.");
        if (!token.IsActive) return AuthenticateResult.Fail("Token's user is inactive.");

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, token.UserId.ToString()), new Claim(ClaimTypes.Name, token.UserName ?? ""), new Claim("token", token.Identifier)],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteError(StatusCodes.Status401Unauthorized, "Authentication credentials were not provided or are invalid.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteError(StatusCodes.Status403Forbidden, "You do not have permission to perform this action.");

    private Task WriteError(int status, string detail)
    {
        Response.StatusCode = status;
        if (status == 401) Response.Headers.WWWAuthenticate = "Bearer realm=\"api\"";
        return Response.WriteAsJsonAsync(new { detail });
    }
}
