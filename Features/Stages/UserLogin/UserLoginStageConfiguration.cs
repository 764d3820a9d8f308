using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Features.Stages.UserLogin;

internal sealed class UserLoginStageConfiguration : IEntityTypeConfiguration<UserLoginStage>
{
    public void Configure(EntityTypeBuilder<UserLoginStage> b)
    {
        b.HasDiscriminator().HasValue(UserLoginStageKind.WireName);
        b.Property(s => s.SessionDuration).HasMaxLength(100);
        b.Property(s => s.RememberMeOffset).HasMaxLength(100);
    }
}
