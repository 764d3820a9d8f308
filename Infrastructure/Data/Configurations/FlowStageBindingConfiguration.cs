using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Infrastructure.Data.Configurations;

internal sealed class FlowStageBindingConfiguration : IEntityTypeConfiguration<FlowStageBinding>
{
    public void Configure(EntityTypeBuilder<FlowStageBinding> b)
    {
        b.ToTable("flow_stage_bindings");
        b.HasOne(x => x.Flow).WithMany(f => f.Bindings).HasForeignKey(x => x.FlowId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Stage).WithMany(s => s.Bindings).HasForeignKey(x => x.StageId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.FlowId, x.StageId, x.Order }).IsUnique();
    }
}
