using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Infrastructure.Data.Configurations;

internal sealed class EmailVerificationConfiguration : IEntityTypeConfiguration<EmailVerification>
{
    public void Configure(EntityTypeBuilder<EmailVerification> b)
    {
        b.ToTable("email_verifications");
        b.Property(x => x.KeyHash).HasMaxLength(64);
        b.HasIndex(x => x.KeyHash).IsUnique();
        b.Property(x => x.Email).HasMaxLength(320);
        b.HasOne(x => x.FlowPlan).WithMany().HasForeignKey(x => x.FlowPlanId).OnDelete(DeleteBehavior.Cascade);
    }
}
