using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Infrastructure.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_policy_bindings_flows_flow_id",
                table: "policy_bindings");

            migrationBuilder.DropForeignKey(
                name: "FK_policy_bindings_groups_group_id",
                table: "policy_bindings");

            migrationBuilder.DropForeignKey(
                name: "FK_policy_bindings_users_user_id",
                table: "policy_bindings");

            migrationBuilder.DropForeignKey(
                name: "FK_stages_groups_create_users_group_id",
                table: "stages");

            migrationBuilder.AddForeignKey(
                name: "FK_policy_bindings_flows_flow_id",
                table: "policy_bindings",
                column: "flow_id",
                principalTable: "flows",
                principalColumn: "id");

            migrationBuilder.AddForeignKey(
                name: "FK_policy_bindings_groups_group_id",
                table: "policy_bindings",
                column: "group_id",
                principalTable: "groups",
                principalColumn: "id");

            migrationBuilder.AddForeignKey(
                name: "FK_policy_bindings_users_user_id",
                table: "policy_bindings",
                column: "user_id",
                principalTable: "users",
                principalColumn: "id");

            migrationBuilder.AddForeignKey(
                name: "FK_stages_groups_create_users_group_id",
                table: "stages",
                column: "create_users_group_id",
                principalTable: "groups",
                principalColumn: "id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_policy_bindings_flows_flow_id",
                table: "policy_bindings");

            migrationBuilder.DropForeignKey(
                name: "FK_policy_bindings_groups_group_id",
                table: "policy_bindings");

            migrationBuilder.DropForeignKey(
                name: "FK_policy_bindings_users_user_id",
                table: "policy_bindings");

            migrationBuilder.DropForeignKey(
                name: "FK_stages_groups_create_users_group_id",
                table: "stages");

            migrationBuilder.AddForeignKey(
                name: "FK_policy_bindings_flows_flow_id",
                table: "policy_bindings",
                column: "flow_id",
                principalTable: "flows",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_policy_bindings_groups_group_id",
                table: "policy_bindings",
                column: "group_id",
                principalTable: "groups",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_policy_bindings_users_user_id",
                table: "policy_bindings",
                column: "user_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_stages_groups_create_users_group_id",
                table: "stages",
                column: "create_users_group_id",
                principalTable: "groups",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }
    }
}
