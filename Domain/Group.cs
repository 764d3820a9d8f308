using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;

namespace Enrollment.Domain;

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
