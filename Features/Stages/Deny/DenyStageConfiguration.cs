using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Features.Stages.Deny;

internal sealed class DenyStageConfiguration : IEntityTypeConfiguration<DenyStage>
{
    public void Configure(EntityTypeBuilder<DenyStage> b)
    {
        b.HasDiscriminator().HasValue(DenyStageKind.WireName);
        b.Property(s => s.DenyMessage).HasMaxLength(DenyStageForm.MaxMessageLength);
    }
}
