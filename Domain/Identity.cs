using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;

namespace Enrollment.Domain;

public class User : IdentityUser<int>
{
    public string Name { get; set; } = "";
    public bool IsActive { get; set; } = true;
    public string Path { get; set; } = "users";
    public UserType Type { get; set; } = UserType.Internal;
    public JsonObject Attributes { get; set; } = [];
    public DateTime DateJoined { get; set; } = DateTime.UtcNow;
    public DateTime? LastLogin { get; set; }

    public List<Group> Groups { get; set; } = [];
}

public class Group
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public bool IsSuperuser { get; set; }
    public Guid? ParentId { get; set; }
    public Group? Parent { get; set; }
    public JsonObject Attributes { get; set; } = [];

    public List<User> Users { get; set; } = [];
}

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
}
