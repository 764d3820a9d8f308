using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Infrastructure.Data.Configurations;

internal sealed class FlowPlanConfiguration : IEntityTypeConfiguration<FlowPlan>
{
    public void Configure(EntityTypeBuilder<FlowPlan> b)
    {
        b.ToTable("flow_plans");
        b.Property(p => p.KeyHash).HasMaxLength(64);
        b.HasIndex(p => p.KeyHash).IsUnique();
        b.HasIndex(p => p.Expires);
        b.HasOne(p => p.Flow).WithMany().HasForeignKey(p => p.FlowId).OnDelete(DeleteBehavior.Cascade);
        b.Property(p => p.Version).IsConcurrencyToken();
    }
}
