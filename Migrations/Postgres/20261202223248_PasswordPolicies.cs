using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PasswordPolicies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "amount_digits",
                table: "policies",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "amount_lowercase",
                table: "policies",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "amount_symbols",
                table: "policies",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "amount_uppercase",
                table: "policies",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "check_have_i_been_pwned",
                table: "policies",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "check_static_rules",
                table: "policies",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "check_zxcvbn",
                table: "policies",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "error_message",
                table: "policies",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "hibp_allowed_count",
                table: "policies",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "length_min",
                table: "policies",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "password_field",
                table: "policies",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "symbol_charset",
                table: "policies",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "zxcvbn_score_threshold",
                table: "policies",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "amount_digits",
                table: "policies");

            migrationBuilder.DropColumn(
                name: "amount_lowercase",
                table: "policies");

            migrationBuilder.DropColumn(
                name: "amount_symbols",
                table: "policies");

            migrationBuilder.DropColumn(
                name: "amount_uppercase",
                table: "policies");

            migrationBuilder.DropColumn(
                name: "check_have_i_been_pwned",
                table: "policies");

            migrationBuilder.DropColumn(
                name: "check_static_rules",
                table: "policies");

            migrationBuilder.DropColumn(
                name: "check_zxcvbn",
                table: "policies");

            migrationBuilder.DropColumn(
                name: "error_message",
                table: "policies");

            migrationBuilder.DropColumn(
                name: "hibp_allowed_count",
                table: "policies");

            migrationBuilder.DropColumn(
                name: "length_min",
                table: "policies");

            migrationBuilder.DropColumn(
                name: "password_field",
                table: "policies");

            migrationBuilder.DropColumn(
                name: "symbol_charset",
                table: "policies");

            migrationBuilder.DropColumn(
                name: "zxcvbn_score_threshold",
                table: "policies");
        }
    }
}
