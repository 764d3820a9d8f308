using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Infrastructure.Data.Configurations;

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
