using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Migrations.Postgres
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
                type: "integer",
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
