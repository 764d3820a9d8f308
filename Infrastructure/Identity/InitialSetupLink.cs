using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Identity;

/// <summary>The one-time link that lets the first admin choose a password when none was configured.</summary>
public sealed class InitialSetupLink
{
    public string Token { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    public string Link => $"/if/flow/initial-setup/?token={Token}";
}
