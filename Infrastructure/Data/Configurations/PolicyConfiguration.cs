using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Infrastructure.Data.Configurations;

internal sealed class PolicyConfiguration : IEntityTypeConfiguration<Policy>
{
    public void Configure(EntityTypeBuilder<Policy> b)
    {
        b.ToTable("policies");
        b.Property(p => p.Name).HasMaxLength(200);
        b.HasIndex(p => p.Name).IsUnique();
        b.HasDiscriminator<string>("kind").HasValue<ExpressionPolicy>("expression").HasValue<PasswordPolicy>("password");
        b.Property<string>("kind").HasMaxLength(32);
    }
}
