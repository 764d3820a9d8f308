using Enrollment.Features.Api.Shared;
using Enrollment.Features.Stages.Shared;

namespace Enrollment.Features.Api.Stages;

/// <summary><c>/api/v3/stages/all/types/</c>: the kinds a stage can be created as (authentik's <c>TypeCreate</c>).</summary>
public static class StageTypesEndpoint
{
    public static IResult Handle(StageKinds kinds) => Results.Json(kinds.All.Select(k => new
    {
        name = k.VerboseName,
        description = k.Description,
        component = k.Component,
        model_name = k.ModelName,
        requires_enterprise = false,
        deprecated = false,
    }), ApiJson.Options);
}
