using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BrandLook : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing brands get empty attributes: "{}", not "" (which is not JSON).
            migrationBuilder.AddColumn<string>(
                name: "attributes",
                table: "brands",
                type: "TEXT",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.AddColumn<string>(
                name: "branding_custom_css",
                table: "brands",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "branding_default_flow_background",
                table: "brands",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "branding_favicon",
                table: "brands",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "branding_logo",
                table: "brands",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "default_locale",
                table: "brands",
                type: "TEXT",
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "attributes",
                table: "brands");

            migrationBuilder.DropColumn(
                name: "branding_custom_css",
                table: "brands");

            migrationBuilder.DropColumn(
                name: "branding_default_flow_background",
                table: "brands");

            migrationBuilder.DropColumn(
                name: "branding_favicon",
                table: "brands");

            migrationBuilder.DropColumn(
                name: "branding_logo",
                table: "brands");

            migrationBuilder.DropColumn(
                name: "default_locale",
                table: "brands");
        }
    }
}
