namespace Enrollment.Features.Api.Users;

/// <summary>An entry of <c>groups_obj</c>.</summary>
public sealed record UserGroupJson(Guid Pk, string Name, bool IsSuperuser);
