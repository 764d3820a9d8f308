using Enrollment.Domain;
using Enrollment.Infrastructure.Blueprints.Models;

namespace Enrollment.Features.Stages.Shared;

/// <summary>The blueprint model of a stage kind: every kind shares the name (unique across kinds, as in authentik) and the pk.</summary>
internal static class StageBlueprint
{
    public static IBlueprintModel Model<T>(StageKind kind, IReadOnlyList<Field<T>> fields, IReadOnlySet<string>? ignored = null)
        where T : Stage => new BlueprintModel<T>
    {
        Name = kind.Model,
        New = () => (T)kind.New(""),
        PkField = Keys.Guid<T>(x => x.Id),
        GetPk = x => x.Id,
        Fields = [Fields<T>.Text("name", x => x.Name, required: true, maxLength: 200), .. fields],
        Ignored = ignored ?? new HashSet<string>(),
        Required = [["name"]],
        ExportId = x => "stage-" + x.Name,
        SortBy = x => x.Name,
    };
}
