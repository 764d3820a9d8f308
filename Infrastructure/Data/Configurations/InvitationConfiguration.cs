using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Infrastructure.Data.Configurations;

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> b)
    {
        b.ToTable("invitations", t => t.HasCheckConstraint("ck_invitations_max_uses", "max_uses IS NULL OR max_uses >= 1"));
        b.Property(i => i.Name).HasMaxLength(200);
        b.HasIndex(i => i.Expires);
        b.HasOne(i => i.Flow).WithMany().HasForeignKey(i => i.FlowId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(i => i.CreatedBy).WithMany().HasForeignKey(i => i.CreatedById).OnDelete(DeleteBehavior.Cascade);
        b.Property(i => i.Email).HasMaxLength(InvitationAddresses.MaxEmailLength);
        b.PrimitiveCollection(i => i.EmailDomains);
        b.HasMany(i => i.Groups).WithOne().HasForeignKey(g => g.InvitationId).OnDelete(DeleteBehavior.Cascade);
    }
}
