using System.Diagnostics;
using Enrollment.Domain;
using Enrollment.Infrastructure.Telemetry;
using Microsoft.AspNetCore.Identity;

namespace Enrollment.Infrastructure.Identity;

/// <summary>
/// Identity's hasher, timed: hashing is the costliest step of an enrollment and of a sign-in (PBKDF2, tens of
/// milliseconds of CPU), so its time is the first thing to look at when either slows down.
/// </summary>
public sealed class TimedPasswordHasher(PasswordHasher<User> inner, EnrollmentMetrics metrics) : IPasswordHasher<User>
{
    public string HashPassword(User user, string password)
    {
        var started = Stopwatch.GetTimestamp();
        var hash = inner.HashPassword(user, password);
        metrics.PasswordHashed("hash", started);
        return hash;
    }

    public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
    {
        var started = Stopwatch.GetTimestamp();
        var result = inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        metrics.PasswordHashed("verify", started);
        return result;
    }
}
