using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

using Enrollment.Infrastructure.Data;

namespace Enrollment.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DefinitionStamp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "definition_stamps",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_definition_stamps", x => x.id);
                });

            migrationBuilder.InsertData(
                table: "definition_stamps",
                columns: new[] { "id", "version" },
                values: new object[] { 1, 0L });

            // Any write to a definition table moves the stamp, in the same transaction (FlowDefinitions' cache).
            foreach (var sql in DefinitionStampTriggers.CreateSqlite()) migrationBuilder.Sql(sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in DefinitionStampTriggers.DropSqlite()) migrationBuilder.Sql(sql);

            migrationBuilder.DropTable(
                name: "definition_stamps");
        }
    }
}
