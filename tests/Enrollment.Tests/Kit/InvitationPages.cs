namespace Enrollment.Tests.Kit;

/// <summary>The admin pages of one invitation.</summary>
public static class InvitationPages
{
    public static string DetailsUrl(Guid invitationId) => $"/if/admin/invitations/{invitationId}/";
    public static string DeleteUrl(Guid invitationId) => $"/if/admin/invitations/{invitationId}/delete/";
    public static string SendUrl(Guid invitationId) => $"/if/admin/invitations/{invitationId}/send/";
    public static string DeliveriesUrl(Guid invitationId) => $"/if/admin/invitations/{invitationId}/?handler=Deliveries";
    public static string ResendUrl(Guid invitationId, Guid deliveryId) => $"/if/admin/invitations/{invitationId}/deliveries/{deliveryId}/resend/";
}
