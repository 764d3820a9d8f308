using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Infrastructure.Data.Configurations;

internal sealed class DefinitionStampConfiguration : IEntityTypeConfiguration<DefinitionStamp>
{
    public void Configure(EntityTypeBuilder<DefinitionStamp> b)
    {
        b.ToTable("definition_stamps");
        b.Property(s => s.Id).ValueGeneratedNever();
        b.HasData(new DefinitionStamp { Id = DefinitionStamp.SingleId, Version = 0 });
    }
}
