using System.Buffers.Binary;
using System.Security.Cryptography;
using Enrollment.Domain;
using Microsoft.AspNetCore.Cryptography.KeyDerivation;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Enrollment.Infrastructure.Identity;

/// <summary>
/// Identity's <see cref="PasswordHasher{TUser}"/> with its V3 hashes (PBKDF2-HMAC-SHA512, its iteration count, a
/// 128-bit salt, a 256-bit subkey: the defaults this app keeps) derived by <see cref="Pbkdf2Sha512"/>: the same
/// format and the same bytes, so that stored hashes verify with Identity's own hasher and the other way round, for
/// less CPU per hash. Everything else (V2 hashes, V3 hashes with another PRF, the V2 compatibility mode) is Identity's.
/// </summary>
public sealed class IdentityV3PasswordHasher(IOptions<PasswordHasherOptions>? options = null) : PasswordHasher<User>(options)
{
    private const byte V3Marker = 0x01;
    private const int SaltSize = 128 / 8;
    private const int SubkeySize = 256 / 8;
    private const int HeaderSize = 13;

    private readonly PasswordHasherOptions settings = options?.Value ?? new PasswordHasherOptions();

    public override string HashPassword(User user, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (settings.CompatibilityMode != PasswordHasherCompatibilityMode.IdentityV3) return base.HashPassword(user, password);
        var output = new byte[HeaderSize + SaltSize + SubkeySize];
        output[0] = V3Marker;
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(1), (uint)KeyDerivationPrf.HMACSHA512);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(5), (uint)settings.IterationCount);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(9), SaltSize);
        var salt = output.AsSpan(HeaderSize, SaltSize);
        RandomNumberGenerator.Fill(salt);
        Pbkdf2Sha512.Derive(password, salt, settings.IterationCount, output.AsSpan(HeaderSize + SaltSize, SubkeySize));
        return Convert.ToBase64String(output);
    }

    public override PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
    {
        ArgumentNullException.ThrowIfNull(hashedPassword);
        ArgumentNullException.ThrowIfNull(providedPassword);
        var decoded = new byte[(hashedPassword.Length * 3 + 3) / 4];
        // Only what Identity would read as a V3 HMAC-SHA512 hash is verified here; anything else (and any surprise) is
        // left to Identity, which answers exactly as it always has.
        if (!Convert.TryFromBase64String(hashedPassword, decoded, out var length) || length < HeaderSize || decoded[0] != V3Marker)
            return base.VerifyHashedPassword(user, hashedPassword, providedPassword);
        var hash = decoded.AsSpan(0, length);
        var prf = BinaryPrimitives.ReadUInt32BigEndian(hash[1..]);
        var iterations = BinaryPrimitives.ReadUInt32BigEndian(hash[5..]);
        var saltLength = BinaryPrimitives.ReadUInt32BigEndian(hash[9..]);
        if (prf != (uint)KeyDerivationPrf.HMACSHA512 || iterations is 0 or > int.MaxValue || saltLength < SaltSize || saltLength > (uint)(length - HeaderSize))
            return base.VerifyHashedPassword(user, hashedPassword, providedPassword);
        var subkeyLength = length - HeaderSize - (int)saltLength;
        if (subkeyLength < 128 / 8) return base.VerifyHashedPassword(user, hashedPassword, providedPassword);
        var expected = hash.Slice(HeaderSize + (int)saltLength, subkeyLength);
        Span<byte> actual = subkeyLength <= 256 ? stackalloc byte[subkeyLength] : new byte[subkeyLength];
        Pbkdf2Sha512.Derive(providedPassword, hash.Slice(HeaderSize, (int)saltLength), (int)iterations, actual);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected)) return PasswordVerificationResult.Failed;
        // As Identity: a hash made with fewer iterations than configured now is replaced at this sign-in.
        return iterations < settings.IterationCount ? PasswordVerificationResult.SuccessRehashNeeded : PasswordVerificationResult.Success;
    }
}
