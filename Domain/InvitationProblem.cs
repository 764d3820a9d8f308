using System.Linq.Expressions;
using System.Text.Json.Nodes;

namespace Enrollment.Domain;

/// <summary>Why an invitation cannot be used, in the order they are checked: the invitee hears the first that applies.</summary>
public enum InvitationProblem { Expired, UsedUp, ForOtherFlow }
