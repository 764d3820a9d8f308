namespace Enrollment.Features.Api.Invitations;

/// <summary><c>created_by</c>: authentik's <c>PartialUserSerializer</c>, the fields Enrollment has.</summary>
public sealed record InvitationCreatorJson(int Pk, string Username, string Name);
