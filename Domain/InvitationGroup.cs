namespace Enrollment.Domain;

/// <summary>
/// A group an invitation adds its users to. The group's pk is kept without a foreign key to the group on purpose: a
/// group deleted after the invitation was made is skipped at enrollment and that is recorded as an event naming the
/// missing pk, which a cascading delete would have erased without a trace.
/// </summary>
public class InvitationGroup
{
    public Guid InvitationId { get; set; }
    public Guid GroupId { get; set; }
}
