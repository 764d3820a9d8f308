namespace Enrollment.Tests.Kit.OpenApi;

/// <summary>A response that is not what authentik's OpenAPI document promises.</summary>
public sealed class ContractViolation(string message) : Exception(message);
