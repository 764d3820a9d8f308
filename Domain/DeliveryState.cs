using System.Linq.Expressions;
using System.Text.Json.Nodes;

namespace Enrollment.Domain;

/// <summary>Where one invitation email to one recipient stands; the admin sees it on the invitation's page.</summary>
/// <remarks>
/// <see cref="Scheduled"/>: a reminder waiting for its day (<see cref="InvitationDelivery.NextAttempt"/>);
/// <see cref="Cancelled"/>: a reminder that was not needed (the recipient enrolled, the invitation expired or was used up).
/// </remarks>
public enum DeliveryState { Queued, Sending, Sent, Retrying, Failed, Scheduled, Cancelled }
