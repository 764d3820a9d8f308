using System.ComponentModel.DataAnnotations;
using Enrollment.Domain;
using Enrollment.Features.Stages.Shared;
using Enrollment.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Validation;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.UserWrite;

public sealed class UserWriteStageForm : StageForm
{
    [Required, WireEnum(typeof(UserCreationMode))]
    public string UserCreationMode { get; set; } = "create_when_required";

    public bool CreateUsersAsInactive { get; set; }

    public Guid? CreateUsersGroup { get; set; }

    [Required, WireEnum(typeof(UserType))]
    public string UserType { get; set; } = "external";

    [StringLength(200)]
    public string? UserPathTemplate { get; set; }

    [BindNever, ValidateNever] public IReadOnlyList<(Guid Id, string Name)> GroupChoices { get; set; } = [];
}
