using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Infrastructure.Data.Configurations;

internal sealed class InvitationDeliveryConfiguration : IEntityTypeConfiguration<InvitationDelivery>
{
    public void Configure(EntityTypeBuilder<InvitationDelivery> b)
    {
        b.ToTable("invitation_deliveries");
        b.Property(d => d.Email).HasMaxLength(320);
        b.Property(d => d.Template).HasMaxLength(255);
        b.Property(d => d.BaseUrl).HasMaxLength(2000);
        b.Property(d => d.LastError).HasMaxLength(2000);
        b.HasOne(d => d.Invitation).WithMany().HasForeignKey(d => d.InvitationId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(d => d.BulkInvitation).WithMany().HasForeignKey(d => d.BulkInvitationId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(d => new { d.BulkInvitationId, d.State });
        b.HasIndex(d => new { d.State, d.NextAttempt });
    }
}
