using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Enrollment.Features.Tokens;

/// <summary>
/// The key of a token made through the API, shown once. The database keeps the key's digest (what authentication
/// looks up) and, until the first <c>view_key</c>, the key itself data-protected with a lifetime of
/// <see cref="Lifetime"/>: a copy of the database alone does not reveal it, and a key nobody fetched in time can no
/// longer be read at all. The first view erases the protected copy.
/// </summary>
public sealed class TokenKeys(IDataProtectionProvider protection)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("Enrollment.Tokens.PendingKey").ToTimeLimitedDataProtector();

    /// <summary>A new random key: 256 bits, URL-safe.</summary>
    public static string NewKey() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public string Protect(string key) => _protector.Protect(key, Lifetime);

    /// <summary>The key, or null when the protected copy has expired or cannot be read (key ring changed).</summary>
    public string? Unprotect(string protectedKey)
    {
        try
        {
            return _protector.Unprotect(protectedKey);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
