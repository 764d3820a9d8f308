using System.Collections.Concurrent;
using System.Reflection;
using System.Text;

namespace Enrollment.Domain;

/// <summary>Overrides the external (authentik) spelling of one enum member.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class WireNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
