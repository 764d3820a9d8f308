using Enrollment.Infrastructure.Web;

namespace Enrollment.Features.Invitations.Shared;

/// <summary>Absolute invitation links, starting at <see cref="LinkOrigin"/>.</summary>
public static class InvitationLinks
{
    public static string Absolute(HttpRequest request, IConfiguration configuration, string flowSlug, Guid invitationId) =>
        $"{LinkOrigin.Of(configuration, request)}/if/flow/{Uri.EscapeDataString(flowSlug)}/?itoken={invitationId}";
}
