using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class InvitationUses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "max_uses",
                table: "invitations",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "opens",
                table: "invitations",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "invitation_uses",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    invitation_id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    user_id = table.Column<int>(type: "int", nullable: true),
                    created = table.Column<DateTime>(type: "datetime2", nullable: false),
                    client_ip = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    flow_id = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_invitation_uses", x => x.id);
                    table.ForeignKey(
                        name: "FK_invitation_uses_invitations_invitation_id",
                        column: x => x.invitation_id,
                        principalTable: "invitations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_invitation_uses_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id");
                });

            migrationBuilder.AddCheckConstraint(
                name: "ck_invitations_max_uses",
                table: "invitations",
                sql: "max_uses IS NULL OR max_uses >= 1");

            migrationBuilder.CreateIndex(
                name: "IX_invitation_uses_invitation_id_created",
                table: "invitation_uses",
                columns: new[] { "invitation_id", "created" });

            migrationBuilder.CreateIndex(
                name: "IX_invitation_uses_user_id",
                table: "invitation_uses",
                column: "user_id");
            // Hand-written: single use is now max uses 1 (the used-up rule reads max_uses); after the table is complete.
            migrationBuilder.Sql("UPDATE invitations SET max_uses = 1 WHERE single_use = 1;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "invitation_uses");

            migrationBuilder.DropCheckConstraint(
                name: "ck_invitations_max_uses",
                table: "invitations");

            migrationBuilder.DropColumn(
                name: "max_uses",
                table: "invitations");

            migrationBuilder.DropColumn(
                name: "opens",
                table: "invitations");
        }
    }
}
