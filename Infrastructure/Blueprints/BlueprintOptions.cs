using Enrollment.Infrastructure.Blueprints.Models;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Enrollment.Infrastructure.Blueprints;

public sealed class BlueprintOptions
{
    /// <summary>
    /// The folder <c>!File</c> may read from (configuration <c>Blueprints:Root</c>); relative paths are taken from
    /// the content root. Defaults to the app's <c>blueprints</c> folder.
    /// </summary>
    public string? Root { get; set; }
}
