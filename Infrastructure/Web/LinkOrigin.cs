namespace Enrollment.Infrastructure.Web;

/// <summary>
/// Where absolute links (invitation links, the links in emails) start. <c>BaseUrl</c>, when configured, wins over the
/// request's host so links are right behind a reverse proxy.
/// </summary>
public static class LinkOrigin
{
    /// <summary>Scheme and host, no trailing slash: <c>BaseUrl</c>, else the request's, else <c>http://localhost</c> outside a request.</summary>
    public static string Of(IConfiguration configuration, HttpRequest? request)
    {
        var configured = configuration["BaseUrl"];
        if (!string.IsNullOrWhiteSpace(configured)) return configured.TrimEnd('/');
        return request is null ? "http://localhost" : $"{request.Scheme}://{request.Host}";
    }
}
