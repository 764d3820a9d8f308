using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Enrollment.Infrastructure.Identity;

/// <summary>
/// PBKDF2-HMAC-SHA512 (RFC 8018) as Identity's V3 password hashes use it, giving exactly the bytes of
/// <see cref="Rfc2898DeriveBytes.Pbkdf2(byte[], byte[], int, HashAlgorithmName, int)"/> at about two thirds of its CPU
/// on Linux. There the framework calls OpenSSL's PBKDF2, which per iteration copies two HMAC contexts (allocating
/// and wiping them) and pads and finalises two digests: about a third of a 100,000-iteration hash is that
/// bookkeeping, not SHA-512. Here the HMAC key's inner and outer states are computed once and each iteration is
/// exactly two SHA-512 compressions, OpenSSL's own (<c>SHA512_Transform</c> of the libcrypto the framework uses),
/// on pre-padded blocks. Where that function is not found (Windows, macOS, another libcrypto), on a big-endian
/// machine, for outputs longer than one SHA-512 block, or if the start-up self-check against the framework differs,
/// the framework's PBKDF2 runs instead.
/// </summary>
public static unsafe class Pbkdf2Sha512
{
    private const int BlockSize = 128;
    private const int DigestSize = 64;

    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<ulong*, byte*, void> Transform = FindTransform();

    /// <summary>Whether the two-compressions-per-iteration path is in use (it passed its self-check).</summary>
    public static bool IsAccelerated { get; } = Transform != null && SelfCheck();

    public static void Derive(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int iterations, Span<byte> output)
    {
        if (IsAccelerated && output.Length <= DigestSize && iterations >= 1) DeriveFast(password, salt, iterations, output);
        else Rfc2898DeriveBytes.Pbkdf2(password, salt, output, iterations, HashAlgorithmName.SHA512);
    }

    /// <summary>
    /// The password as UTF-8, anything that is not valid UTF-16 (an unpaired surrogate) as U+FFFD: exactly as Identity's
    /// <c>KeyDerivation.Pbkdf2</c> encodes it, so that such a password hashes to Identity's bytes too.
    /// </summary>
    public static void Derive(string password, ReadOnlySpan<byte> salt, int iterations, Span<byte> output)
    {
        var bytes = Encoding.UTF8.GetBytes(password);
        try { Derive(bytes, salt, iterations, output); }
        finally { CryptographicOperations.ZeroMemory(bytes); }
    }

    /// <summary>T1 = U1 ^ U2 ^ … ^ Uc, U1 = HMAC(P, S || 1), Ui = HMAC(P, Ui-1); one block, truncated to the output.</summary>
    private static void DeriveFast(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int iterations, Span<byte> output)
    {
        Span<byte> key = stackalloc byte[DigestSize];
        var k = password;
        if (password.Length > BlockSize)
        {
            SHA512.HashData(password, key);
            k = key;
        }
        // SHA512_CTX is 216 bytes (h[8], Nl, Nh, a 128-byte buffer, num, md_len); only h is used by a transform.
        var ctx = stackalloc ulong[27];
        var inner = stackalloc ulong[8];
        var outer = stackalloc ulong[8];
        var pad = stackalloc byte[BlockSize];
        KeyState(k, 0x36, pad, ctx, inner);
        KeyState(k, 0x5c, pad, ctx, outer);

        // U1 through the framework's HMAC (the salt may be any length); then each U is one padded 64-byte block.
        Span<byte> first = stackalloc byte[DigestSize];
        Span<byte> message = salt.Length + 4 <= 256 ? stackalloc byte[salt.Length + 4] : new byte[salt.Length + 4];
        salt.CopyTo(message);
        BinaryPrimitives.WriteInt32BigEndian(message[salt.Length..], 1);
        HMACSHA512.HashData(k, message, first);
        CryptographicOperations.ZeroMemory(message);

        // The block a 64-byte message fills after the 128-byte key block: the message, 0x80, zeros, and the length
        // in bits of all that was hashed (128 + 64 bytes = 1536 bits) in the last 16 bytes.
        var block = stackalloc ulong[BlockSize / 8];
        new Span<ulong>(block, BlockSize / 8).Clear();
        ((byte*)block)[DigestSize] = 0x80;
        block[15] = BinaryPrimitives.ReverseEndianness((ulong)(BlockSize + DigestSize) * 8);
        var t = stackalloc ulong[8];
        for (var i = 0; i < 8; i++)
        {
            t[i] = BinaryPrimitives.ReadUInt64BigEndian(first[(i * 8)..]);
            block[i] = BinaryPrimitives.ReverseEndianness(t[i]);
        }
        for (var n = 1; n < iterations; n++)
        {
            for (var i = 0; i < 8; i++) ctx[i] = inner[i];
            Transform(ctx, (byte*)block);
            for (var i = 0; i < 8; i++) block[i] = BinaryPrimitives.ReverseEndianness(ctx[i]);
            for (var i = 0; i < 8; i++) ctx[i] = outer[i];
            Transform(ctx, (byte*)block);
            for (var i = 0; i < 8; i++)
            {
                t[i] ^= ctx[i];
                block[i] = BinaryPrimitives.ReverseEndianness(ctx[i]);
            }
        }
        Span<byte> result = stackalloc byte[DigestSize];
        for (var i = 0; i < 8; i++) BinaryPrimitives.WriteUInt64BigEndian(result[(i * 8)..], t[i]);
        result[..output.Length].CopyTo(output);
        CryptographicOperations.ZeroMemory(result);
        CryptographicOperations.ZeroMemory(first);
        CryptographicOperations.ZeroMemory(key);
        CryptographicOperations.ZeroMemory(new Span<byte>(pad, BlockSize));
        CryptographicOperations.ZeroMemory(new Span<byte>(ctx, 27 * 8));
        CryptographicOperations.ZeroMemory(new Span<byte>(block, BlockSize));
        CryptographicOperations.ZeroMemory(new Span<byte>(t, DigestSize));
        CryptographicOperations.ZeroMemory(new Span<byte>(inner, DigestSize));
        CryptographicOperations.ZeroMemory(new Span<byte>(outer, DigestSize));
    }

    /// <summary>SHA-512's state after the key block XOR <paramref name="xor"/> (HMAC's ipad or opad).</summary>
    private static void KeyState(ReadOnlySpan<byte> key, byte xor, byte* pad, ulong* ctx, ulong* state)
    {
        for (var i = 0; i < BlockSize; i++) pad[i] = (byte)((i < key.Length ? key[i] : 0) ^ xor);
        ReadOnlySpan<ulong> iv =
        [
            0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
            0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
        ];
        for (var i = 0; i < 8; i++) ctx[i] = iv[i];
        Transform(ctx, pad);
        for (var i = 0; i < 8; i++) state[i] = ctx[i];
    }

    private static delegate* unmanaged[Cdecl, SuppressGCTransition]<ulong*, byte*, void> FindTransform()
    {
        if (!OperatingSystem.IsLinux() || !BitConverter.IsLittleEndian) return null;
        foreach (var name in new[] { "libcrypto.so.3", "libcrypto.so.1.1" })
        {
            if (NativeLibrary.TryLoad(name, out var library) && NativeLibrary.TryGetExport(library, "SHA512_Transform", out var transform))
                return (delegate* unmanaged[Cdecl, SuppressGCTransition]<ulong*, byte*, void>)transform;
        }
        return null;
    }

    /// <summary>Known answers from the framework's PBKDF2: a short key, a key longer than a block, several lengths.</summary>
    private static bool SelfCheck()
    {
        try
        {
            foreach (var (password, salt, iterations, length) in new[]
            {
                ("password", "salt-of-sixteen!", 1, 64), ("Correct-Horse-58", "0123456789abcdef", 1_000, 32),
                (new string('k', 200), "another salt", 3, 20),
            })
            {
                var p = Encoding.UTF8.GetBytes(password);
                var s = Encoding.UTF8.GetBytes(salt);
                var expected = Rfc2898DeriveBytes.Pbkdf2(p, s, iterations, HashAlgorithmName.SHA512, length);
                var actual = new byte[length];
                DeriveFast(p, s, iterations, actual);
                if (!expected.AsSpan().SequenceEqual(actual)) return false;
            }
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or CryptographicException)
        {
            return false;
        }
    }
}
