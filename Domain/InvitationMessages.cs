namespace Enrollment.Domain;

/// <summary>What the invitee reads when an invitation cannot be used: one message per cause, not one for all.</summary>
public static class InvitationMessages
{
    public const string Missing = "This page can only be used with an invitation. Open the link from your invitation email or message.";
    public const string Unknown = "This invitation link is not valid. Check that you opened the whole link, or ask for a new invitation.";
    public const string Expired = "This invitation has expired. Ask the person who invited you for a new one.";
    public const string Used = "This invitation has already been used. Ask the person who invited you for a new one.";
    public const string WrongFlow = "This invitation is not meant for this page. Open the link exactly as it was sent to you.";

    public static string For(InvitationProblem problem) => problem switch
    {
        InvitationProblem.Expired => Expired,
        InvitationProblem.UsedUp => Used,
        _ => WrongFlow,
    };
}
