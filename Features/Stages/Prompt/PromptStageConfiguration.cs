using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.Prompt;

using Prompt = Enrollment.Domain.Prompt;

internal sealed class PromptStageConfiguration : IEntityTypeConfiguration<PromptStage>
{
    public void Configure(EntityTypeBuilder<PromptStage> b)
    {
        b.HasDiscriminator().HasValue(PromptStageKind.WireName);
        // The join's key columns keep the names of the two-way mapping they were created with.
        b.HasMany(s => s.Fields).WithMany().UsingEntity("prompt_stage_fields",
            r => r.HasOne(typeof(Domain.Prompt)).WithMany().HasForeignKey("FieldsId"),
            l => l.HasOne(typeof(PromptStage)).WithMany().HasForeignKey("StagesId"));
        b.HasMany(s => s.ValidationPolicies).WithMany().UsingEntity("prompt_stage_validation_policies");
    }
}
