using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Infrastructure.Data.Configurations;

internal sealed class InvitationUseConfiguration : IEntityTypeConfiguration<InvitationUse>
{
    public void Configure(EntityTypeBuilder<InvitationUse> b)
    {
        b.ToTable("invitation_uses");
        b.Property(u => u.ClientIp).HasMaxLength(64);
        b.HasOne(u => u.Invitation).WithMany().HasForeignKey(u => u.InvitationId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(u => u.User).WithMany().HasForeignKey(u => u.UserId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(u => new { u.InvitationId, u.Created });
    }
}
