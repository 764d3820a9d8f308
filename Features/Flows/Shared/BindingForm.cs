using System.ComponentModel.DataAnnotations;
using Enrollment.Domain;
using Enrollment.Infrastructure.Web;

namespace Enrollment.Features.Flows.Shared;

/// <summary>The settings of one stage binding, as the bind and edit forms post them.</summary>
public class BindingForm
{
    [Range(-100000, 100000, ErrorMessage = "Order must be a whole number between -100000 and 100000.")]
    public int Order { get; set; }

    public bool EvaluateOnPlan { get; set; }

    public bool ReEvaluatePolicies { get; set; } = true;

    [Required, WireEnum(typeof(InvalidResponseAction))]
    public string InvalidResponseAction { get; set; } = "retry";

    [Required, WireEnum(typeof(PolicyEngineMode))]
    public string PolicyEngineMode { get; set; } = "any";

    public void ApplyTo(FlowStageBinding binding)
    {
        binding.Order = Order;
        binding.EvaluateOnPlan = EvaluateOnPlan;
        binding.ReEvaluatePolicies = ReEvaluatePolicies;
        binding.InvalidResponseAction = Wire.Parse<InvalidResponseAction>(InvalidResponseAction);
        binding.PolicyEngineMode = Wire.Parse<PolicyEngineMode>(PolicyEngineMode);
    }
}
