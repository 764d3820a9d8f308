namespace Enrollment.Domain;

/// <summary>authentik's <c>BlueprintInstanceStatusEnum</c>: how the last apply of an instance went.</summary>
public enum BlueprintInstanceStatus
{
    Successful,
    Warning,
    Error,
    /// <summary>The instance's file is gone from the blueprints folder.</summary>
    Orphaned,
    /// <summary>Not applied yet.</summary>
    Unknown,
}
