using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Enrollment.Domain;

namespace Enrollment.Features.Api.Shared;

/// <summary>authentik's <c>PartialUser</c>: a user as other objects show who made them.</summary>
public sealed record PartialUserJson(int Pk, string Username, string Name, bool IsActive, DateTime? LastLogin, string Email, JsonObject Attributes, string Uid)
{
    public static PartialUserJson Of(User u) =>
        new(u.Id, u.UserName ?? "", u.Name, u.IsActive, u.LastLogin, u.Email ?? "", u.Attributes, UidOf(u.Id));

    /// <summary>
    /// authentik's <c>uid</c>: a stable opaque hex id per user (authentik hashes its install id with the pk; we hash
    /// a fixed prefix with the pk).
    /// </summary>
    public static string UidOf(int pk) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"enrollment-user-{pk}")));
}
