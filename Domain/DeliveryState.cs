using System.Linq.Expressions;
using System.Text.Json.Nodes;

namespace Enrollment.Domain;

/// <summary>Where one invitation email to one recipient stands; the admin sees it on the invitation's page.</summary>
public enum DeliveryState { Queued, Sending, Sent, Retrying, Failed }
