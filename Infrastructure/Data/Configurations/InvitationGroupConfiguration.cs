using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Infrastructure.Data.Configurations;

internal sealed class InvitationGroupConfiguration : IEntityTypeConfiguration<InvitationGroup>
{
    public void Configure(EntityTypeBuilder<InvitationGroup> b)
    {
        b.ToTable("invitation_groups");
        b.HasKey(g => new { g.InvitationId, g.GroupId });
        // No foreign key to groups: see InvitationGroup. The index finds the invitations of a group.
        b.HasIndex(g => g.GroupId);
    }
}
