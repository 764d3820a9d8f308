using Enrollment.Infrastructure.Blueprints.Models;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using YamlDotNet.RepresentationModel;

namespace Enrollment.Infrastructure.Blueprints;

/// <summary>Where the importer is: which entry, as far as it is known yet. Errors are labelled with it.</summary>
public sealed class EntryLabel(int index)
{
    public int Index { get; } = index;
    public string? Id { get; set; }
    public string? Model { get; set; }

    public BlueprintLog Log(BlueprintLogLevel level, string message, string? field = null, int? line = null) =>
        new(level, message, Index, Id, Model, field, line);
}
