using System.Text.Json.Nodes;

namespace Enrollment.Features.Invitations.BulkInvite;

/// <summary>One accepted recipient: the row it came from, its address, and the invitation's <c>fixed_data</c>.</summary>
public sealed record Recipient(int Row, string Email, JsonObject FixedData);
