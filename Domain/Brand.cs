using System.Linq.Expressions;
using System.Text.Json.Nodes;

namespace Enrollment.Domain;

public class Brand
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public string Domain { get; set; } = "enrollment-default";
    public bool Default { get; set; } = true;
    public string BrandingTitle { get; set; } = "Enrollment";
    /// <summary>Where external users go after enrollment; they may not use the internal user interface.</summary>
    public string? DefaultApplicationUrl { get; set; }
}
