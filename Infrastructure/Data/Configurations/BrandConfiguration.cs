using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Infrastructure.Data.Configurations;

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
