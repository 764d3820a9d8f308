using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Infrastructure.Data.Configurations;

internal sealed class BulkInvitationConfiguration : IEntityTypeConfiguration<BulkInvitation>
{
    public void Configure(EntityTypeBuilder<BulkInvitation> b)
    {
        b.ToTable("bulk_invitations");
        b.HasOne(x => x.Flow).WithMany().HasForeignKey(x => x.FlowId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(x => x.CreatedBy).WithMany().HasForeignKey(x => x.CreatedById).OnDelete(DeleteBehavior.Cascade);
    }
}
