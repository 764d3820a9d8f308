using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Enrollment.Tests.Infrastructure.Data;

/// <summary>
/// SQL Server is deployed from the idempotent script (`dotnet ef migrations script --idempotent`), which wraps each
/// statement in an IF block; CREATE TRIGGER must open its own batch, so it has to go through EXEC there.
/// </summary>
public sealed class MigrationScriptTests
{
    [Fact]
    public void The_idempotent_sql_server_script_creates_every_definition_trigger_in_a_batch_of_its_own()
    {
        var options = new DbContextOptionsBuilder<SqlServerAppDbContext>().UseSqlServer("Server=unused;Database=unused").Options;
        using var db = new SqlServerAppDbContext(options);
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        var creates = script.Split('\n').Where(l => l.Contains("CREATE TRIGGER", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
        Assert.Equal(DefinitionStampTriggers.Tables.Length, creates.Count);
        Assert.All(creates, l => Assert.StartsWith("EXEC(N'CREATE TRIGGER", l));
        foreach (var table in DefinitionStampTriggers.Tables)
            Assert.Contains(creates, l => l.Contains($"ON [{table}] AFTER INSERT, UPDATE, DELETE", StringComparison.Ordinal));
    }
}
