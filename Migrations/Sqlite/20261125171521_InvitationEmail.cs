using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InvitationEmail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "activate_user_on_success",
                table: "stages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "from_address",
                table: "stages",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "host",
                table: "stages",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "password",
                table: "stages",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "port",
                table: "stages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "subject",
                table: "stages",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "template",
                table: "stages",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "timeout",
                table: "stages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "token_expiry",
                table: "stages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "use_global_settings",
                table: "stages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "use_ssl",
                table: "stages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "use_tls",
                table: "stages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "username",
                table: "stages",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "bulk_invitations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    flow_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_by_id = table.Column<int>(type: "INTEGER", nullable: true),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    expires = table.Column<DateTime>(type: "TEXT", nullable: true),
                    single_use = table.Column<bool>(type: "INTEGER", nullable: false),
                    total = table.Column<int>(type: "INTEGER", nullable: false),
                    rejected = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_bulk_invitations", x => x.id);
                    table.ForeignKey(
                        name: "FK_bulk_invitations_flows_flow_id",
                        column: x => x.flow_id,
                        principalTable: "flows",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_bulk_invitations_users_created_by_id",
                        column: x => x.created_by_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "email_verifications",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    key_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    flow_plan_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    stage_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    expires = table.Column<DateTime>(type: "TEXT", nullable: false),
                    verified = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_email_verifications", x => x.id);
                    table.ForeignKey(
                        name: "FK_email_verifications_flow_plans_flow_plan_id",
                        column: x => x.flow_plan_id,
                        principalTable: "flow_plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "invitation_deliveries",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    invitation_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    cc = table.Column<string>(type: "TEXT", nullable: false),
                    bcc = table.Column<string>(type: "TEXT", nullable: false),
                    template = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    bulk_invitation_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    base_url = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    requested_by_id = table.Column<int>(type: "INTEGER", nullable: true),
                    state = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_attempt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    next_attempt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    sent = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_invitation_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "FK_invitation_deliveries_bulk_invitations_bulk_invitation_id",
                        column: x => x.bulk_invitation_id,
                        principalTable: "bulk_invitations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_invitation_deliveries_invitations_invitation_id",
                        column: x => x.invitation_id,
                        principalTable: "invitations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_bulk_invitations_created_by_id",
                table: "bulk_invitations",
                column: "created_by_id");

            migrationBuilder.CreateIndex(
                name: "IX_bulk_invitations_flow_id",
                table: "bulk_invitations",
                column: "flow_id");

            migrationBuilder.CreateIndex(
                name: "IX_email_verifications_flow_plan_id",
                table: "email_verifications",
                column: "flow_plan_id");

            migrationBuilder.CreateIndex(
                name: "IX_email_verifications_key_hash",
                table: "email_verifications",
                column: "key_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_invitation_deliveries_bulk_invitation_id_state",
                table: "invitation_deliveries",
                columns: new[] { "bulk_invitation_id", "state" });

            migrationBuilder.CreateIndex(
                name: "IX_invitation_deliveries_invitation_id",
                table: "invitation_deliveries",
                column: "invitation_id");

            migrationBuilder.CreateIndex(
                name: "IX_invitation_deliveries_state_next_attempt",
                table: "invitation_deliveries",
                columns: new[] { "state", "next_attempt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "email_verifications");

            migrationBuilder.DropTable(
                name: "invitation_deliveries");

            migrationBuilder.DropTable(
                name: "bulk_invitations");

            migrationBuilder.DropColumn(
                name: "activate_user_on_success",
                table: "stages");

            migrationBuilder.DropColumn(
                name: "from_address",
                table: "stages");

            migrationBuilder.DropColumn(
                name: "host",
                table: "stages");

            migrationBuilder.DropColumn(
                name: "password",
                table: "stages");

            migrationBuilder.DropColumn(
                name: "port",
                table: "stages");

            migrationBuilder.DropColumn(
                name: "subject",
                table: "stages");

            migrationBuilder.DropColumn(
                name: "template",
                table: "stages");

            migrationBuilder.DropColumn(
                name: "timeout",
                table: "stages");

            migrationBuilder.DropColumn(
                name: "token_expiry",
                table: "stages");

            migrationBuilder.DropColumn(
                name: "use_global_settings",
                table: "stages");

            migrationBuilder.DropColumn(
                name: "use_ssl",
                table: "stages");

            migrationBuilder.DropColumn(
                name: "use_tls",
                table: "stages");

            migrationBuilder.DropColumn(
                name: "username",
                table: "stages");
        }
    }
}
