namespace Enrollment.Domain;

/// <summary>Where an invitation stands (<see cref="Invitation.StatusAt"/>); on the wire <c>active</c>, <c>expired</c>, <c>used_up</c>.</summary>
public enum InvitationStatus { Active, Expired, UsedUp }
