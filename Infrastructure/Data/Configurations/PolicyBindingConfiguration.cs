using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Infrastructure.Data.Configurations;

internal sealed class PolicyBindingConfiguration : IEntityTypeConfiguration<PolicyBinding>
{
    public void Configure(EntityTypeBuilder<PolicyBinding> b)
    {
        b.ToTable("policy_bindings", t =>
        {
            t.HasCheckConstraint("ck_policy_bindings_one_target",
                "(flow_id IS NOT NULL AND flow_stage_binding_id IS NULL) OR (flow_id IS NULL AND flow_stage_binding_id IS NOT NULL)");
            t.HasCheckConstraint("ck_policy_bindings_one_subject",
                "(CASE WHEN policy_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN group_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN user_id IS NULL THEN 0 ELSE 1 END) = 1");
        });
        b.Property(x => x.FlowId).HasColumnName("flow_id");
        b.Property(x => x.FlowStageBindingId).HasColumnName("flow_stage_binding_id");
        b.Property(x => x.PolicyId).HasColumnName("policy_id");
        b.Property(x => x.GroupId).HasColumnName("group_id");
        b.Property(x => x.UserId).HasColumnName("user_id");
        b.HasOne(x => x.Flow).WithMany(f => f.PolicyBindings).HasForeignKey(x => x.FlowId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.FlowStageBinding).WithMany(f => f.PolicyBindings).HasForeignKey(x => x.FlowStageBindingId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Policy).WithMany().HasForeignKey(x => x.PolicyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Group).WithMany().HasForeignKey(x => x.GroupId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
