namespace Enrollment.Domain;

/// <summary>
/// A policy of any kind. Kinds share one table (TPH, discriminated by <c>kind</c>); each names itself as authentik
/// does, for events and the API.
/// </summary>
public abstract class Policy
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public bool ExecutionLogging { get; set; }

    /// <summary>authentik's app label of the kind, e.g. <c>authentik_policies_expression</c>.</summary>
    public abstract string AuthentikApp { get; }

    /// <summary>authentik's model name of the kind, e.g. <c>expressionpolicy</c>.</summary>
    public abstract string AuthentikModel { get; }
}
