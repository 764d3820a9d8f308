using Enrollment.Domain;
using Enrollment.Features.Api.Users;

namespace Enrollment.Features.Api.Tokens;

/// <summary>authentik's <c>Token</c> serializer. Enrollment manages no tokens itself, so <c>managed</c> is always null.</summary>
public sealed record TokenJson(Guid Pk, string? Managed, string Identifier, TokenIntent Intent, int User, UserJson UserObj,
    string Description, DateTime? Expires, bool Expiring);
