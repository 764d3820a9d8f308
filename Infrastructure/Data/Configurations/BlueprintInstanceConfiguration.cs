using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Infrastructure.Data.Configurations;

internal sealed class BlueprintInstanceConfiguration : IEntityTypeConfiguration<BlueprintInstance>
{
    public void Configure(EntityTypeBuilder<BlueprintInstance> b)
    {
        b.ToTable("blueprint_instances");
        b.Property(i => i.Name).HasMaxLength(BlueprintInstance.MaxNameLength);
        b.HasIndex(i => i.Name).IsUnique();
        b.Property(i => i.Path).HasMaxLength(BlueprintInstance.MaxPathLength);
        b.HasIndex(i => i.Path);
        b.Property(i => i.LastAppliedHash).HasMaxLength(128);
        b.Property(i => i.AttemptedHash).HasMaxLength(128);
        b.Ignore(i => i.IsFile);
    }
}
