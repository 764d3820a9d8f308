namespace Enrollment.Infrastructure.Telemetry;

/// <summary>How one policy evaluation ended, as <see cref="EnrollmentMetrics"/> counts it.</summary>
public enum PolicyOutcome { Pass, Fail, Error, TimedOut }
