namespace Enrollment.Features.Stages.Shared;

/// <summary>What the shared fields partial needs from the create and edit pages.</summary>
public interface IStageFormPage
{
    StageKind Kind { get; }
    StageForm Input { get; }
}
