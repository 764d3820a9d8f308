using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.Email;

internal sealed class EmailStageConfiguration : IEntityTypeConfiguration<EmailStage>
{
    public void Configure(EntityTypeBuilder<EmailStage> b)
    {
        b.HasDiscriminator().HasValue(EmailStageKind.WireName);
        // Columns shared with other stage kinds in the one TPH table get a prefix so names stay unambiguous.
        b.Property(s => s.Host).HasMaxLength(255).HasColumnName("email_host");
        b.Property(s => s.Username).HasMaxLength(255).HasColumnName("email_username");
        b.Property(s => s.Password).HasMaxLength(255).HasColumnName("email_password");
        b.Property(s => s.FromAddress).HasMaxLength(255);
        b.Property(s => s.Subject).HasMaxLength(255);
        b.Property(s => s.Template).HasMaxLength(255);
    }
}
