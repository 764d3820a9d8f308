using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class BlueprintInstances : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "blueprint_instances",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    path = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: false),
                    context = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    enabled = table.Column<bool>(type: "bit", nullable: false),
                    status = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    last_applied = table.Column<DateTime>(type: "datetime2", nullable: false),
                    last_applied_hash = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    attempted_hash = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    managed_models = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    metadata = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    content = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    last_log = table.Column<string>(type: "nvarchar(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_blueprint_instances", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_blueprint_instances_name",
                table: "blueprint_instances",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_blueprint_instances_path",
                table: "blueprint_instances",
                column: "path");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "blueprint_instances");
        }
    }
}
