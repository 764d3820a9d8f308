using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FlowPlansAndInvitationUses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "last_used",
                table: "invitations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "uses",
                table: "invitations",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "flow_plans",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    key_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    flow_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    bindings = table.Column<string>(type: "TEXT", nullable: false),
                    current = table.Column<int>(type: "INTEGER", nullable: false),
                    context = table.Column<string>(type: "TEXT", nullable: false),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    expires = table.Column<DateTime>(type: "TEXT", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_flow_plans", x => x.id);
                    table.ForeignKey(
                        name: "FK_flow_plans_flows_flow_id",
                        column: x => x.flow_id,
                        principalTable: "flows",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_flow_plans_expires",
                table: "flow_plans",
                column: "expires");

            migrationBuilder.CreateIndex(
                name: "IX_flow_plans_flow_id",
                table: "flow_plans",
                column: "flow_id");

            migrationBuilder.CreateIndex(
                name: "IX_flow_plans_key_hash",
                table: "flow_plans",
                column: "key_hash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "flow_plans");

            migrationBuilder.DropColumn(
                name: "last_used",
                table: "invitations");

            migrationBuilder.DropColumn(
                name: "uses",
                table: "invitations");
        }
    }
}
