using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "brands",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    domain = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    @default = table.Column<bool>(name: "default", type: "bit", nullable: false),
                    branding_title = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    default_application_url = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_brands", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "events",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    action = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    user = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    app = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    context = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    client_ip = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    created = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "flows",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    slug = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: false),
                    title = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    designation = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    authentication = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    denied_action = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    layout = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    policy_engine_mode = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_flows", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "groups",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    is_superuser = table.Column<bool>(type: "bit", nullable: false),
                    parent_id = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    attributes = table.Column<string>(type: "nvarchar(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_groups", x => x.id);
                    table.ForeignKey(
                        name: "FK_groups_groups_parent_id",
                        column: x => x.parent_id,
                        principalTable: "groups",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "policies",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    execution_logging = table.Column<bool>(type: "bit", nullable: false),
                    kind = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    expression = table.Column<string>(type: "nvarchar(max)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_policies", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "prompts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    field_key = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    label = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    type = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    required = table.Column<bool>(type: "bit", nullable: false),
                    placeholder = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    placeholder_expression = table.Column<bool>(type: "bit", nullable: false),
                    initial_value = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    initial_value_expression = table.Column<bool>(type: "bit", nullable: false),
                    sub_text = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    order = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_prompts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    name = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: false),
                    is_active = table.Column<bool>(type: "bit", nullable: false),
                    path = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: false),
                    type = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    attributes = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    date_joined = table.Column<DateTime>(type: "datetime2", nullable: false),
                    last_login = table.Column<DateTime>(type: "datetime2", nullable: true),
                    user_name = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    normalized_user_name = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    email = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    normalized_email = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    email_confirmed = table.Column<bool>(type: "bit", nullable: false),
                    password_hash = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    security_stamp = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    concurrency_stamp = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    phone_number = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    phone_number_confirmed = table.Column<bool>(type: "bit", nullable: false),
                    two_factor_enabled = table.Column<bool>(type: "bit", nullable: false),
                    lockout_end = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    lockout_enabled = table.Column<bool>(type: "bit", nullable: false),
                    access_failed_count = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_users", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "stages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    kind = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    continue_flow_without_invitation = table.Column<bool>(type: "bit", nullable: true),
                    session_duration = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    remember_me_offset = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    terminate_other_sessions = table.Column<bool>(type: "bit", nullable: true),
                    user_creation_mode = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    create_users_as_inactive = table.Column<bool>(type: "bit", nullable: true),
                    create_users_group_id = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    user_type = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    user_path_template = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stages", x => x.id);
                    table.ForeignKey(
                        name: "FK_stages_groups_create_users_group_id",
                        column: x => x.create_users_group_id,
                        principalTable: "groups",
                        principalColumn: "id");
                });

            migrationBuilder.CreateTable(
                name: "group_members",
                columns: table => new
                {
                    groups_id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    users_id = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_group_members", x => new { x.groups_id, x.users_id });
                    table.ForeignKey(
                        name: "FK_group_members_groups_groups_id",
                        column: x => x.groups_id,
                        principalTable: "groups",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_group_members_users_users_id",
                        column: x => x.users_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "invitations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    expires = table.Column<DateTime>(type: "datetime2", nullable: true),
                    flow_id = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    single_use = table.Column<bool>(type: "bit", nullable: false),
                    fixed_data = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    created_by_id = table.Column<int>(type: "int", nullable: true),
                    created = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_invitations", x => x.id);
                    table.ForeignKey(
                        name: "FK_invitations_flows_flow_id",
                        column: x => x.flow_id,
                        principalTable: "flows",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_invitations_users_created_by_id",
                        column: x => x.created_by_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tokens",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    identifier = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    key_hash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    user_id = table.Column<int>(type: "int", nullable: false),
                    intent = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    expiring = table.Column<bool>(type: "bit", nullable: false),
                    expires = table.Column<DateTime>(type: "datetime2", nullable: true),
                    description = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    created = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tokens", x => x.id);
                    table.ForeignKey(
                        name: "FK_tokens_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_claims",
                columns: table => new
                {
                    id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    user_id = table.Column<int>(type: "int", nullable: false),
                    claim_type = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    claim_value = table.Column<string>(type: "nvarchar(max)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user_claims", x => x.id);
                    table.ForeignKey(
                        name: "FK_user_claims_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_logins",
                columns: table => new
                {
                    login_provider = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    provider_key = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    provider_display_name = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    user_id = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user_logins", x => new { x.login_provider, x.provider_key });
                    table.ForeignKey(
                        name: "FK_user_logins_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_tokens",
                columns: table => new
                {
                    user_id = table.Column<int>(type: "int", nullable: false),
                    login_provider = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    name = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    value = table.Column<string>(type: "nvarchar(max)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user_tokens", x => new { x.user_id, x.login_provider, x.name });
                    table.ForeignKey(
                        name: "FK_user_tokens_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "flow_stage_bindings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    flow_id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    stage_id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    order = table.Column<int>(type: "int", nullable: false),
                    evaluate_on_plan = table.Column<bool>(type: "bit", nullable: false),
                    re_evaluate_policies = table.Column<bool>(type: "bit", nullable: false),
                    invalid_response_action = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    policy_engine_mode = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_flow_stage_bindings", x => x.id);
                    table.ForeignKey(
                        name: "FK_flow_stage_bindings_flows_flow_id",
                        column: x => x.flow_id,
                        principalTable: "flows",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_flow_stage_bindings_stages_stage_id",
                        column: x => x.stage_id,
                        principalTable: "stages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "prompt_stage_fields",
                columns: table => new
                {
                    fields_id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    stages_id = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_prompt_stage_fields", x => new { x.fields_id, x.stages_id });
                    table.ForeignKey(
                        name: "FK_prompt_stage_fields_prompts_fields_id",
                        column: x => x.fields_id,
                        principalTable: "prompts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_prompt_stage_fields_stages_stages_id",
                        column: x => x.stages_id,
                        principalTable: "stages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "prompt_stage_validation_policies",
                columns: table => new
                {
                    prompt_stage_id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    validation_policies_id = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_prompt_stage_validation_policies", x => new { x.prompt_stage_id, x.validation_policies_id });
                    table.ForeignKey(
                        name: "FK_prompt_stage_validation_policies_policies_validation_policies_id",
                        column: x => x.validation_policies_id,
                        principalTable: "policies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_prompt_stage_validation_policies_stages_prompt_stage_id",
                        column: x => x.prompt_stage_id,
                        principalTable: "stages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "policy_bindings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    flow_id = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    flow_stage_binding_id = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    policy_id = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    group_id = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    user_id = table.Column<int>(type: "int", nullable: true),
                    enabled = table.Column<bool>(type: "bit", nullable: false),
                    negate = table.Column<bool>(type: "bit", nullable: false),
                    order = table.Column<int>(type: "int", nullable: false),
                    timeout = table.Column<int>(type: "int", nullable: false),
                    failure_result = table.Column<bool>(type: "bit", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_policy_bindings", x => x.id);
                    table.CheckConstraint("ck_policy_bindings_one_subject", "(CASE WHEN policy_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN group_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN user_id IS NULL THEN 0 ELSE 1 END) = 1");
                    table.CheckConstraint("ck_policy_bindings_one_target", "(flow_id IS NOT NULL AND flow_stage_binding_id IS NULL) OR (flow_id IS NULL AND flow_stage_binding_id IS NOT NULL)");
                    table.ForeignKey(
                        name: "FK_policy_bindings_flow_stage_bindings_flow_stage_binding_id",
                        column: x => x.flow_stage_binding_id,
                        principalTable: "flow_stage_bindings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_policy_bindings_flows_flow_id",
                        column: x => x.flow_id,
                        principalTable: "flows",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "FK_policy_bindings_groups_group_id",
                        column: x => x.group_id,
                        principalTable: "groups",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "FK_policy_bindings_policies_policy_id",
                        column: x => x.policy_id,
                        principalTable: "policies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_policy_bindings_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id");
                });

            migrationBuilder.CreateIndex(
                name: "IX_events_action",
                table: "events",
                column: "action");

            migrationBuilder.CreateIndex(
                name: "IX_events_created",
                table: "events",
                column: "created");

            migrationBuilder.CreateIndex(
                name: "IX_flow_stage_bindings_flow_id_stage_id_order",
                table: "flow_stage_bindings",
                columns: new[] { "flow_id", "stage_id", "order" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_flow_stage_bindings_stage_id",
                table: "flow_stage_bindings",
                column: "stage_id");

            migrationBuilder.CreateIndex(
                name: "IX_flows_slug",
                table: "flows",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_group_members_users_id",
                table: "group_members",
                column: "users_id");

            migrationBuilder.CreateIndex(
                name: "IX_groups_name",
                table: "groups",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_groups_parent_id",
                table: "groups",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "IX_invitations_created_by_id",
                table: "invitations",
                column: "created_by_id");

            migrationBuilder.CreateIndex(
                name: "IX_invitations_expires",
                table: "invitations",
                column: "expires");

            migrationBuilder.CreateIndex(
                name: "IX_invitations_flow_id",
                table: "invitations",
                column: "flow_id");

            migrationBuilder.CreateIndex(
                name: "IX_policies_name",
                table: "policies",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_policy_bindings_flow_id",
                table: "policy_bindings",
                column: "flow_id");

            migrationBuilder.CreateIndex(
                name: "IX_policy_bindings_flow_stage_binding_id",
                table: "policy_bindings",
                column: "flow_stage_binding_id");

            migrationBuilder.CreateIndex(
                name: "IX_policy_bindings_group_id",
                table: "policy_bindings",
                column: "group_id");

            migrationBuilder.CreateIndex(
                name: "IX_policy_bindings_policy_id",
                table: "policy_bindings",
                column: "policy_id");

            migrationBuilder.CreateIndex(
                name: "IX_policy_bindings_user_id",
                table: "policy_bindings",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_prompt_stage_fields_stages_id",
                table: "prompt_stage_fields",
                column: "stages_id");

            migrationBuilder.CreateIndex(
                name: "IX_prompt_stage_validation_policies_validation_policies_id",
                table: "prompt_stage_validation_policies",
                column: "validation_policies_id");

            migrationBuilder.CreateIndex(
                name: "IX_prompts_name",
                table: "prompts",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_stages_create_users_group_id",
                table: "stages",
                column: "create_users_group_id");

            migrationBuilder.CreateIndex(
                name: "IX_stages_name",
                table: "stages",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tokens_identifier",
                table: "tokens",
                column: "identifier",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tokens_key_hash",
                table: "tokens",
                column: "key_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tokens_user_id",
                table: "tokens",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_user_claims_user_id",
                table: "user_claims",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_user_logins_user_id",
                table: "user_logins",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "users",
                column: "normalized_email");

            migrationBuilder.CreateIndex(
                name: "IX_users_path",
                table: "users",
                column: "path");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "users",
                column: "normalized_user_name",
                unique: true,
                filter: "[normalized_user_name] IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "brands");

            migrationBuilder.DropTable(
                name: "events");

            migrationBuilder.DropTable(
                name: "group_members");

            migrationBuilder.DropTable(
                name: "invitations");

            migrationBuilder.DropTable(
                name: "policy_bindings");

            migrationBuilder.DropTable(
                name: "prompt_stage_fields");

            migrationBuilder.DropTable(
                name: "prompt_stage_validation_policies");

            migrationBuilder.DropTable(
                name: "tokens");

            migrationBuilder.DropTable(
                name: "user_claims");

            migrationBuilder.DropTable(
                name: "user_logins");

            migrationBuilder.DropTable(
                name: "user_tokens");

            migrationBuilder.DropTable(
                name: "flow_stage_bindings");

            migrationBuilder.DropTable(
                name: "prompts");

            migrationBuilder.DropTable(
                name: "policies");

            migrationBuilder.DropTable(
                name: "users");

            migrationBuilder.DropTable(
                name: "flows");

            migrationBuilder.DropTable(
                name: "stages");

            migrationBuilder.DropTable(
                name: "groups");
        }
    }
}
