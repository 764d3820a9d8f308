using Enrollment.Features.Api.Blueprints;
using Enrollment.Features.Api.Events;
using Enrollment.Features.Api.Flows;
using Enrollment.Features.Api.Policies;
using Enrollment.Features.Api.Prompts;
using Enrollment.Features.Api.Root;
using Enrollment.Features.Api.Stages;
using Enrollment.Features.Stages.Shared;
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
    public static void Map(RouteGroupBuilder api, IServiceProvider services)
    {
        var kinds = services.GetRequiredService<StageKinds>();
        RootEndpoints.Map(api);
        new BindingsResource(kinds).Map(api);
        // Literal paths before the kinds' "{key}" routes would not matter (routing prefers literals); kept together for reading.
        api.MapGet("/stages/all/types/", StageTypesEndpoint.Handle).WithName("stages_all_types_list");
        new StagesResource(null, kinds).Map(api);
        foreach (var kind in kinds.All) new StagesResource(kind, kinds).Map(api);
        new PromptsResource(kinds).Map(api);
        new ExpressionPoliciesResource().Map(api);
        new PasswordPoliciesResource().Map(api);
        new PolicyBindingsResource().Map(api);
        api.MapPost("/policies/all/{uuid:guid}/test/", PolicyTestEndpoint.Handle).WithName("policies_all_test_create");
        new EventsResource(services.GetRequiredService<IConfiguration>()).Map(api);

        // Before the flow routes: "import" is not a slug.
        api.MapPost("/flows/instances/import/", ImportFlowBlueprint.Handle).WithName("flows_instances_import_create");
        new FlowsResource().Map(api);

        DirectoryApiEndpoints.Map(api);

        // Before the invitation routes for reading: "bulk" is not an invitation pk (the {pk:guid} constraint keeps them apart too).
        BulkInvitationsEndpoints.Map(api);
        const string invitations = "/stages/invitation/invitations/";
        api.MapGet(invitations, ([AsParameters] ListInvitations.Query q, ISender s, CancellationToken ct) => s.Send(q, ct).ToHttp()).WithName("stages_invitation_invitations_list");
        api.MapPost(invitations, InvitationEndpoints.Create).WithName("stages_invitation_invitations_create");
        api.MapGet(invitations + "{pk:guid}/", (Guid pk, ISender s, CancellationToken ct) => s.Send(new RetrieveInvitation.Query(pk), ct).ToHttp()).WithName("stages_invitation_invitations_retrieve");
        api.MapPut(invitations + "{pk:guid}/", InvitationEndpoints.Update).WithName("stages_invitation_invitations_update");
        api.MapPatch(invitations + "{pk:guid}/", InvitationEndpoints.PartialUpdate).WithName("stages_invitation_invitations_partial_update");
        api.MapDelete(invitations + "{pk:guid}/", InvitationEndpoints.Delete).WithName("stages_invitation_invitations_destroy");
        api.MapGet(invitations + "{pk:guid}/uses/", ([AsParameters] ListInvitationUses.Query q, ISender s, CancellationToken ct) => s.Send(q, ct).ToHttp())
            .WithName("stages_invitation_invitations_uses_list");
        api.MapPost(invitations + "{pk:guid}/send_email/", SendInvitationEmail.Handle).WithName("stages_invitation_invitations_send_email_create");

        BlueprintApiEndpoints.Map(api);
    }
}
