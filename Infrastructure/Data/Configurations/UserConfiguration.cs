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
