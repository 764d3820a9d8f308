namespace Enrollment.Features.Invitations.Shared;

/// <summary>
/// Absolute invitation links. <c>BaseUrl</c>, when configured, wins over the request's host so links in admin
/// pages and emails are right behind a reverse proxy.
/// </summary>
public static class InvitationLinks
{
    public static string Absolute(HttpRequest request, IConfiguration configuration, string flowSlug, Guid invitationId)
    {
        var configured = configuration["BaseUrl"];
        var origin = string.IsNullOrWhiteSpace(configured) ? $"{request.Scheme}://{request.Host}" : configured.TrimEnd('/');
        return $"{origin}/if/flow/{Uri.EscapeDataString(flowSlug)}/?itoken={invitationId}";
    }
}
