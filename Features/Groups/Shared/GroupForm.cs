using Enrollment.Infrastructure.Serialization;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Groups.Shared;

/// <summary>The fields of a group as the create and edit forms post them.</summary>
public class GroupForm
{
    [Required(ErrorMessage = "Enter a name.")]
    [StringLength(200)]
    public string Name { get; set; } = "";

    public bool IsSuperuser { get; set; }

    public Guid? ParentId { get; set; }

    [StringLength(100_000)]
    public string? Attributes { get; set; }

    /// <summary>The checks that need the database; returns the errors and, when there are none, the parsed attributes.</summary>
    internal async Task<(List<FieldError> Errors, JsonObject Attributes)> ValidateAsync(AppDbContext db, Guid? self, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var name = Name.Trim();
        if (await db.Groups.AnyAsync(g => g.Name == name && g.Id != self, ct))
            errors.Add(new(nameof(Name), "A group with this name already exists."));
        if (ParentId is { } parent)
        {
            var parents = (await db.Groups.AsNoTracking().Select(g => new { g.Id, g.ParentId }).ToListAsync(ct)).ToDictionary(g => g.Id, g => g.ParentId);
            if (!parents.ContainsKey(parent))
                errors.Add(new(nameof(ParentId), "Choose an existing group."));
            else if (self is { } id && GroupTree.SelfAndAncestors(parents, parent).Contains(id))
                errors.Add(new(nameof(ParentId), "A group cannot be its own parent or the child of one of its descendants."));
        }
        var parsed = StructuredText.ParseObject(Attributes);
        if (parsed.Error is not null) errors.Add(new(nameof(Attributes), parsed.Error));
        return (errors, parsed.Value ?? []);
    }

    public void ApplyTo(Group group, JsonObject attributes)
    {
        group.Name = Name.Trim();
        group.IsSuperuser = IsSuperuser;
        group.ParentId = ParentId;
        group.Attributes = attributes;
    }

    public static T From<T>(Group group) where T : GroupForm, new() => new()
    {
        Name = group.Name,
        IsSuperuser = group.IsSuperuser,
        ParentId = group.ParentId,
        Attributes = StructuredText.Format(group.Attributes),
    };
}
