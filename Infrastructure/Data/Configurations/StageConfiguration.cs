using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Infrastructure.Data.Configurations;

internal sealed class StageConfiguration : IEntityTypeConfiguration<Stage>
{
    /// <summary>Each kind's own configuration (in its folder under Features/Stages) names its discriminator value.</summary>
    public void Configure(EntityTypeBuilder<Stage> b)
    {
        b.ToTable("stages");
        b.Property(s => s.Name).HasMaxLength(200);
        b.HasIndex(s => s.Name).IsUnique();
        b.HasDiscriminator<string>("kind");
        b.Property<string>("kind").HasMaxLength(32);
    }
}
