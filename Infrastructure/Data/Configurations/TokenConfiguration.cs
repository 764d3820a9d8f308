using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Infrastructure.Data.Configurations;

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
