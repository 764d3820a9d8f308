using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Infrastructure.Data.Configurations;

internal sealed class FlowConfiguration : IEntityTypeConfiguration<Flow>
{
    public void Configure(EntityTypeBuilder<Flow> b)
    {
        b.ToTable("flows");
        b.Property(f => f.Name).HasMaxLength(200);
        b.Property(f => f.Slug).HasMaxLength(50);
        b.Property(f => f.Title).HasMaxLength(200);
        b.HasIndex(f => f.Slug).IsUnique();
    }
}
