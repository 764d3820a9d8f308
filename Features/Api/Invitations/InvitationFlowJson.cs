using Enrollment.Domain;

namespace Enrollment.Features.Api.Invitations;

/// <summary><c>flow_obj</c>: the fields of the bound flow an admin list needs.</summary>
public sealed record InvitationFlowJson(Guid Pk, string Slug, string Name, string Title, FlowDesignation Designation);
