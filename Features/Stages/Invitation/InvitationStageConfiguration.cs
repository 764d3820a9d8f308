using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Features.Stages.Invitation;

internal sealed class InvitationStageConfiguration : IEntityTypeConfiguration<InvitationStage>
{
    public void Configure(EntityTypeBuilder<InvitationStage> b) => b.HasDiscriminator().HasValue(InvitationStageKind.WireName);
}
