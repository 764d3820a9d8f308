namespace Enrollment.Infrastructure.Web;

/// <summary>One limit: at most <see cref="PermitLimit"/> requests per <see cref="Window"/> from one client.</summary>
public sealed class RateLimitRule
{
    public int PermitLimit { get; set; }
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    public RateLimitRule() { }

    public RateLimitRule(int permitLimit) => PermitLimit = permitLimit;
}
