using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Infrastructure.Data.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.Property(u => u.Name).HasMaxLength(300);
        b.Property(u => u.Path).HasMaxLength(300);
        b.HasIndex(u => u.Path);
        b.HasMany(u => u.Groups).WithMany(g => g.Users).UsingEntity("group_members");
    }
}

internal sealed class GroupConfiguration : IEntityTypeConfiguration<Group>
{
    public void Configure(EntityTypeBuilder<Group> b)
    {
        b.ToTable("groups");
        b.Property(g => g.Name).HasMaxLength(200);
        b.HasIndex(g => g.Name).IsUnique();
        b.HasOne(g => g.Parent).WithMany().HasForeignKey(g => g.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TokenConfiguration : IEntityTypeConfiguration<Token>
{
    public void Configure(EntityTypeBuilder<Token> b)
    {
        b.ToTable("tokens");
        b.Property(t => t.Identifier).HasMaxLength(200);
        b.HasIndex(t => t.Identifier).IsUnique();
        b.Property(t => t.KeyHash).HasMaxLength(64);
        b.HasIndex(t => t.KeyHash).IsUnique();
        b.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> b)
    {
        b.ToTable("invitations");
        b.Property(i => i.Name).HasMaxLength(200);
        b.HasIndex(i => i.Expires);
        b.HasOne(i => i.Flow).WithMany().HasForeignKey(i => i.FlowId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(i => i.CreatedBy).WithMany().HasForeignKey(i => i.CreatedById).OnDelete(DeleteBehavior.Cascade);
    }
}

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

internal sealed class BulkInvitationConfiguration : IEntityTypeConfiguration<BulkInvitation>
{
    public void Configure(EntityTypeBuilder<BulkInvitation> b)
    {
        b.ToTable("bulk_invitations");
        b.HasOne(x => x.Flow).WithMany().HasForeignKey(x => x.FlowId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(x => x.CreatedBy).WithMany().HasForeignKey(x => x.CreatedById).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EmailVerificationConfiguration : IEntityTypeConfiguration<EmailVerification>
{
    public void Configure(EntityTypeBuilder<EmailVerification> b)
    {
        b.ToTable("email_verifications");
        b.Property(x => x.KeyHash).HasMaxLength(64);
        b.HasIndex(x => x.KeyHash).IsUnique();
        b.Property(x => x.Email).HasMaxLength(320);
        b.HasOne(x => x.FlowPlan).WithMany().HasForeignKey(x => x.FlowPlanId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EventConfiguration : IEntityTypeConfiguration<Event>
{
    public void Configure(EntityTypeBuilder<Event> b)
    {
        b.ToTable("events");
        b.Property(e => e.Action).HasMaxLength(100);
        b.Property(e => e.App).HasMaxLength(100);
        b.Property(e => e.ClientIp).HasMaxLength(64);
        b.HasIndex(e => e.Created);
        b.HasIndex(e => e.Action);
    }
}

internal sealed class BrandConfiguration : IEntityTypeConfiguration<Brand>
{
    public void Configure(EntityTypeBuilder<Brand> b)
    {
        b.ToTable("brands");
        b.Property(x => x.Domain).HasMaxLength(200);
        b.Property(x => x.BrandingTitle).HasMaxLength(200);
        b.Property(x => x.DefaultApplicationUrl).HasMaxLength(2000);
    }
}
