using Enrollment.Features.Api.Blueprints;
using Enrollment.Features.Api.FlowInstances;
using Enrollment.Features.Api.Invitations;
using Enrollment.Features.Api.Shared;
using Mediator;

namespace Enrollment.Features.Api;

/// <summary>
/// authentik's v3 paths, trailing slash included (routing also matches them without it). Each endpoint sends one
/// query and writes its result; ids that do not fit the route (<c>{id:int}</c>, <c>{pk:guid}</c>) fall through to
/// the API's JSON 404.
/// </summary>
public static class ApiEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        // Before the flow routes: "import" is not a slug.
        api.MapPost("/flows/instances/import/", ImportFlowBlueprint.Handle);
        new FlowsResource().Map(api);

        DirectoryApiEndpoints.Map(api);

        const string invitations = "/stages/invitation/invitations/";
        api.MapGet(invitations, ([AsParameters] ListInvitations.Query q, ISender s, CancellationToken ct) => s.Send(q, ct).ToHttp());
        api.MapPost(invitations, InvitationEndpoints.Create);
        api.MapGet(invitations + "{pk:guid}/", (Guid pk, ISender s, CancellationToken ct) => s.Send(new RetrieveInvitation.Query(pk), ct).ToHttp());
        api.MapPut(invitations + "{pk:guid}/", InvitationEndpoints.Update);
        api.MapPatch(invitations + "{pk:guid}/", InvitationEndpoints.PartialUpdate);
        api.MapDelete(invitations + "{pk:guid}/", InvitationEndpoints.Delete);
        api.MapPost(invitations + "{pk:guid}/send_email/", SendInvitationEmail.Handle);
    }
}
