namespace Enrollment.Domain;

public abstract class Policy
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public bool ExecutionLogging { get; set; }
}
