using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Features.Api.FlowInstances;
using Enrollment.Features.Api.Shared;
using Enrollment.Features.Stages.Shared;

namespace Enrollment.Features.Api.Stages;

/// <summary>
/// authentik's <c>Stage</c> serializer (<c>pk</c>, <c>name</c>, <c>component</c>, <c>verbose_name</c>,
/// <c>verbose_name_plural</c>, <c>meta_model_name</c>, <c>flow_set</c>: the flows the stage is bound to), followed by
/// the kind's own fields from its descriptor when <paramref name="withKindFields"/>.
/// </summary>
public static class StageJson
{
    public static JsonObject Of(StageKind kind, Stage stage, bool withKindFields)
    {
        var json = new JsonObject
        {
            ["pk"] = stage.Id.ToString(),
            ["name"] = stage.Name,
            ["component"] = kind.Component,
            ["verbose_name"] = kind.VerboseName,
            ["verbose_name_plural"] = kind.VerboseName + "s",
            ["meta_model_name"] = kind.Model,
            ["flow_set"] = new JsonArray(stage.Bindings.Select(b => b.Flow).DistinctBy(f => f.Id).OrderBy(f => f.Slug, StringComparer.Ordinal)
                .Select(f => System.Text.Json.JsonSerializer.SerializeToNode(FlowSetJson.Of(f, ""), ApiJson.Options)).ToArray()),
        };
        if (withKindFields) kind.WriteApi(stage, json);
        return json;
    }
}
