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
