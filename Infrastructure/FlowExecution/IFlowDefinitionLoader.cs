using Enrollment.Infrastructure.Data;

namespace Enrollment.Infrastructure.FlowExecution;

/// <summary>Reads one flow's definition from the database; <see cref="FlowDefinitions"/> keeps what it reads.</summary>
public interface IFlowDefinitionLoader
{
    /// <returns>Null when no flow has this slug.</returns>
    Task<FlowDefinition?> LoadAsync(AppDbContext db, string slug, CancellationToken ct);
}
