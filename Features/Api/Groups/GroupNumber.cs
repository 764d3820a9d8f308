using System.Buffers.Binary;

namespace Enrollment.Features.Api.Groups;

/// <summary>
/// authentik's <c>num_pk</c> (a group's numeric id, e.g. an LDAP gidNumber) derived from the group's UUID: stable
/// and positive without a column. Unlike authentik's it is not guaranteed unique; the UUID <c>pk</c> is the key.
/// </summary>
public static class GroupNumber
{
    public static int Of(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        return (int)(BinaryPrimitives.ReadUInt32BigEndian(bytes) & 0x7FFF_FFFF);
    }
}
