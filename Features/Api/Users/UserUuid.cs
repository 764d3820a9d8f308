using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Enrollment.Features.Api.Users;

/// <summary>
/// authentik's <c>User.uuid</c>, derived from the pk so that no column is needed: twelve bytes of a hash of the pk
/// (UUID version 8) followed by the pk itself, so a <c>uuid</c> filter finds its user without a scan and a made-up
/// UUID matches nobody. Stable for the life of the user.
/// </summary>
public static class UserUuid
{
    public static Guid Of(int pk)
    {
        Span<byte> bytes = stackalloc byte[16];
        SHA256.HashData(Encoding.UTF8.GetBytes($"enrollment-user-uuid-{pk}")).AsSpan(0, 12).CopyTo(bytes);
        BinaryPrimitives.WriteInt32BigEndian(bytes[12..], pk);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8: custom
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The pk whose uuid is <paramref name="uuid"/>, or null when no pk gives it.</summary>
    public static int? PkOf(Guid uuid)
    {
        Span<byte> bytes = stackalloc byte[16];
        uuid.TryWriteBytes(bytes, bigEndian: true, out _);
        var pk = BinaryPrimitives.ReadInt32BigEndian(bytes[12..]);
        return pk > 0 && Of(pk) == uuid ? pk : null;
    }
}
