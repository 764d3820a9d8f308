using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;

namespace Enrollment.Domain;

/// <summary>An API token. Only a SHA-256 digest of the key is stored; the key itself is shown once.</summary>
public class Token
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Identifier { get; set; }
    public required string KeyHash { get; set; }
    public int UserId { get; set; }
    public User User { get; set; } = null!;
    public TokenIntent Intent { get; set; } = TokenIntent.Api;
    public bool Expiring { get; set; } = true;
    public DateTime? Expires { get; set; }
    public string Description { get; set; } = "";
    public DateTime Created { get; set; } = DateTime.UtcNow;

    /// <summary>
    /// The key of a token created through the API, data-protected (never in clear), until its one <c>view_key</c>;
    /// null once shown, or for tokens whose key was shown when they were made.
    /// </summary>
    public string? PendingKey { get; set; }
}
