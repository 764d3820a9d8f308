using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Enrollment.Infrastructure.Data.Configurations;

/// <summary>The password policy's columns in the shared <c>policies</c> table (null for the other kinds).</summary>
internal sealed class PasswordPolicyConfiguration : IEntityTypeConfiguration<PasswordPolicy>
{
    public const int MaxFieldKey = 200;
    public const int MaxText = 1000;

    public void Configure(EntityTypeBuilder<PasswordPolicy> b)
    {
        // The same width as a prompt's field_key, which it names.
        b.Property(p => p.PasswordField).HasMaxLength(MaxFieldKey);
        b.Property(p => p.SymbolCharset).HasMaxLength(MaxText);
        b.Property(p => p.ErrorMessage).HasMaxLength(MaxText);
    }
}
