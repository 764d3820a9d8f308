using Enrollment.Features.Api.Invitations;
using Enrollment.Features.Api.Shared;
using Enrollment.Features.Blueprints.ApplyInstance;
using Mediator;

namespace Enrollment.Features.Api.Blueprints;

/// <summary>
/// authentik's <c>/managed/blueprints/</c>: instances (list, create, retrieve, update, partial update, delete, apply),
/// the files available, and the one-off import. Request bodies are read as the invitation endpoints read theirs
/// (DRF's answers for malformed JSON).
/// </summary>
public static class BlueprintApiEndpoints
{
    private const string Root = "/managed/blueprints/";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet(Root, ([AsParameters] ListBlueprintInstances.Query q, ISender s, CancellationToken ct) => s.Send(q, ct).ToHttp()).WithName("managed_blueprints_list");
        api.MapPost(Root, (HttpRequest r, ISender s, CancellationToken ct) => SaveAsync(null, r, s, partial: false, ct)).WithName("managed_blueprints_create");
        api.MapGet(Root + "available/", async (ISender s, CancellationToken ct) => Results.Json(await s.Send(new AvailableBlueprints.Query(), ct), ApiJson.Options)).WithName("managed_blueprints_available_list");
        api.MapPost(Root + "import/", ImportBlueprint.Handle).WithName("managed_blueprints_import_create");
        api.MapGet(Root + "{id:guid}/", (Guid id, ISender s, CancellationToken ct) => s.Send(new RetrieveBlueprintInstance.Query(id), ct).ToHttp()).WithName("managed_blueprints_retrieve");
        api.MapPut(Root + "{id:guid}/", (Guid id, HttpRequest r, ISender s, CancellationToken ct) => SaveAsync(id, r, s, partial: false, ct)).WithName("managed_blueprints_update");
        api.MapPatch(Root + "{id:guid}/", (Guid id, HttpRequest r, ISender s, CancellationToken ct) => SaveAsync(id, r, s, partial: true, ct)).WithName("managed_blueprints_partial_update");
        api.MapDelete(Root + "{id:guid}/", async (Guid id, ISender s, CancellationToken ct) =>
            await s.Send(new DeleteBlueprintInstance.Command(id), ct) ? Results.NoContent() : ApiResult<BlueprintInstanceJson>.NotFound().ToHttp()).WithName("managed_blueprints_destroy");
        api.MapPost(Root + "{id:guid}/apply/", async (Guid id, ISender s, CancellationToken ct) =>
            await s.Send(new ApplyInstance.Command(id), ct) is null
                ? ApiResult<BlueprintInstanceJson>.NotFound().ToHttp()
                : (await s.Send(new RetrieveBlueprintInstance.Query(id), ct)).ToHttp()).WithName("managed_blueprints_apply_create");
    }

    private static async Task<IResult> SaveAsync(Guid? id, HttpRequest request, ISender sender, bool partial, CancellationToken ct)
    {
        var (body, error) = await InvitationEndpoints.ReadObjectAsync(request, ct);
        if (error is not null) return error;
        return (await sender.Send(new SaveBlueprintInstance.Command(id, body!, partial), ct)).ToHttp();
    }
}
