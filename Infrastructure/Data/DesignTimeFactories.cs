using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Enrollment.Infrastructure.Data;

// `dotnet ef` builds each provider's context from these, so migrations never need a live server.
internal sealed class SqliteDesignFactory : IDesignTimeDbContextFactory<SqliteAppDbContext>
{
    public SqliteAppDbContext CreateDbContext(string[] args)
    {
        var o = new DbContextOptionsBuilder<SqliteAppDbContext>();
        DatabaseExtensions.ConfigureSqlite(o, "Data Source=design.db");
        return new SqliteAppDbContext(o.Options);
    }
}

internal sealed class PostgresDesignFactory : IDesignTimeDbContextFactory<PostgresAppDbContext>
{
    public PostgresAppDbContext CreateDbContext(string[] args)
    {
        var o = new DbContextOptionsBuilder<PostgresAppDbContext>();
        DatabaseExtensions.ConfigurePostgres(o, "Host=localhost;Database=enrollment_design");
        return new PostgresAppDbContext(o.Options);
    }
}

internal sealed class SqlServerDesignFactory : IDesignTimeDbContextFactory<SqlServerAppDbContext>
{
    public SqlServerAppDbContext CreateDbContext(string[] args)
    {
        var o = new DbContextOptionsBuilder<SqlServerAppDbContext>();
        DatabaseExtensions.ConfigureSqlServer(o, "Server=localhost;Database=enrollment_design;Trusted_Connection=True;TrustServerCertificate=True");
        return new SqlServerAppDbContext(o.Options);
    }
}
