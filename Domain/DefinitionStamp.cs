using System.Text.Json.Nodes;

namespace Enrollment.Domain;

/// <summary>
/// One row whose <see cref="Version"/> moves whenever a flow definition changes (flows, stage bindings, stages,
/// prompts, policies, policy bindings): database triggers bump it in the writing transaction, whoever writes. Each
/// server process caches definitions and drops them when it reads another version.
/// </summary>
public class DefinitionStamp
{
    public const int SingleId = 1;
    public int Id { get; set; }
    public long Version { get; set; }
}
