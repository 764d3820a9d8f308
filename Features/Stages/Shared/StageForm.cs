using System.ComponentModel.DataAnnotations;

namespace Enrollment.Features.Stages.Shared;

/// <summary>The fields every kind's admin form has; each kind's form adds its own settings.</summary>
public abstract class StageForm
{
    [Required(ErrorMessage = "Enter a name.")]
    [StringLength(200)]
    public string Name { get; set; } = "";
}
