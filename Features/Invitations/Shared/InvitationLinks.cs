namespace Enrollment.Features.Invitations.Shared;

/// <summary>
/// Absolute invitation links. <c>BaseUrl</c>, when configured, wins over the request's host so links in admin
/// pages and emails are right behind a reverse proxy.
/// </summary>
public static class InvitationLinks
{
    public static string Absolute(HttpRequest request, IConfiguration configuration, string flowSlug, Guid invitationId) =>
        $"{Origin(request, configuration)}/if/flow/{Uri.EscapeDataString(flowSlug)}/?itoken={invitationId}";

    /// <summary>Scheme and host links start with (no trailing slash): <c>BaseUrl</c>, else the request's.</summary>
    public static string Origin(HttpRequest request, IConfiguration configuration)
    {
        var configured = configuration["BaseUrl"];
        return string.IsNullOrWhiteSpace(configured) ? $"{request.Scheme}://{request.Host}" : configured.TrimEnd('/');
    }
}
