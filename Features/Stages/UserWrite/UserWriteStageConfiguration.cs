using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.UserWrite;

internal sealed class UserWriteStageConfiguration : IEntityTypeConfiguration<UserWriteStage>
{
    public void Configure(EntityTypeBuilder<UserWriteStage> b)
    {
        b.HasDiscriminator().HasValue(UserWriteStageKind.WireName);
        b.HasOne(s => s.CreateUsersGroup).WithMany().HasForeignKey(s => s.CreateUsersGroupId).OnDelete(DeleteBehavior.SetNull);
        b.Property(s => s.UserPathTemplate).HasMaxLength(200);
    }
}
