using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Infrastructure.Data.Configurations;

internal sealed class FlowConfiguration : IEntityTypeConfiguration<Flow>
{
    public void Configure(EntityTypeBuilder<Flow> b)
    {
        b.ToTable("flows");
        b.Property(f => f.Name).HasMaxLength(200);
        b.Property(f => f.Slug).HasMaxLength(50);
        b.Property(f => f.Title).HasMaxLength(200);
        b.HasIndex(f => f.Slug).IsUnique();
    }
}

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

internal sealed class StageConfiguration : IEntityTypeConfiguration<Stage>
{
    /// <summary>Each kind's own configuration (in its folder under Features/Stages) names its discriminator value.</summary>
    public void Configure(EntityTypeBuilder<Stage> b)
    {
        b.ToTable("stages");
        b.Property(s => s.Name).HasMaxLength(200);
        b.HasIndex(s => s.Name).IsUnique();
        b.HasDiscriminator<string>("kind");
        b.Property<string>("kind").HasMaxLength(32);
    }
}

internal sealed class PromptConfiguration : IEntityTypeConfiguration<Prompt>
{
    public void Configure(EntityTypeBuilder<Prompt> b)
    {
        b.ToTable("prompts");
        b.Property(p => p.Name).HasMaxLength(200);
        b.HasIndex(p => p.Name).IsUnique();
        b.Property(p => p.FieldKey).HasMaxLength(200);
    }
}

internal sealed class PolicyConfiguration : IEntityTypeConfiguration<Policy>
{
    public void Configure(EntityTypeBuilder<Policy> b)
    {
        b.ToTable("policies");
        b.Property(p => p.Name).HasMaxLength(200);
        b.HasIndex(p => p.Name).IsUnique();
        b.HasDiscriminator<string>("kind").HasValue<ExpressionPolicy>("expression");
        b.Property<string>("kind").HasMaxLength(32);
    }
}

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

internal sealed class DefinitionStampConfiguration : IEntityTypeConfiguration<DefinitionStamp>
{
    public void Configure(EntityTypeBuilder<DefinitionStamp> b)
    {
        b.ToTable("definition_stamps");
        b.Property(s => s.Id).ValueGeneratedNever();
        b.HasData(new DefinitionStamp { Id = DefinitionStamp.SingleId, Version = 0 });
    }
}
