using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PromptMaxLength : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "max_length",
                table: "prompts",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "max_length",
                table: "prompts");
        }
    }
}
