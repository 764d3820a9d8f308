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
