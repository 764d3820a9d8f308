using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Enrollment.Infrastructure.Data;

internal sealed class SqlServerDesignFactory : IDesignTimeDbContextFactory<SqlServerAppDbContext>
{
    public SqlServerAppDbContext CreateDbContext(string[] args)
    {
        var o = new DbContextOptionsBuilder<SqlServerAppDbContext>();
        DatabaseExtensions.ConfigureSqlServer(o, "Server=localhost;Database=enrollment_design;Trusted_Connection=True;TrustServerCertificate=True");
        return new SqlServerAppDbContext(o.Options);
    }
}
