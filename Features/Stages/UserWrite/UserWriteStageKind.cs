using Enrollment.Features.Api.Shared;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Features.Stages.Shared;
using Enrollment.Infrastructure.Blueprints.Models;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.UserWrite;

public sealed class UserWriteStageKind : StageKind<UserWriteStage, UserWriteStageForm>
{
    public const string WireName = "user_write";
    private const string GroupModel = "authentik_core.group";

    public override string Name => WireName;
    public override string Label => "User write stage";
    public override string Description => "Creates or updates the user from the collected values.";
    public override string AppLabel => "authentik_stages_user_write";
    public override int Order => 30;
    public override Type ExecutorType => typeof(UserWriteStageExecutor);
    public override string FieldsPartial => "/Features/Stages/UserWrite/_UserWriteFields.cshtml";

    protected override UserWriteStage Create() => new() { Name = "" };

    protected override void Read(UserWriteStage stage, UserWriteStageForm form)
    {
        form.UserCreationMode = Wire.Name(stage.UserCreationMode);
        form.CreateUsersAsInactive = stage.CreateUsersAsInactive;
        form.CreateUsersGroup = stage.CreateUsersGroupId;
        form.UserType = Wire.Name(stage.UserType);
        form.UserPathTemplate = stage.UserPathTemplate;
    }

    protected override async Task LoadChoicesAsync(AppDbContext db, UserWriteStageForm form, CancellationToken ct) =>
        form.GroupChoices = (await db.Groups.AsNoTracking().OrderBy(g => g.Name).Select(g => new { g.Id, g.Name }).ToListAsync(ct))
            .Select(g => (g.Id, g.Name)).ToList();

    protected override async Task<IReadOnlyList<FieldError>> WriteAsync(AppDbContext db, UserWriteStageForm form, UserWriteStage stage, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (form.CreateUsersGroup is { } groupId && !await db.Groups.AnyAsync(g => g.Id == groupId, ct))
            errors.Add(new(nameof(UserWriteStageForm.CreateUsersGroup), "This group does not exist (any more). Choose another one."));
        stage.UserCreationMode = Wire.Parse<UserCreationMode>(form.UserCreationMode);
        stage.CreateUsersAsInactive = form.CreateUsersAsInactive;
        stage.CreateUsersGroupId = form.CreateUsersGroup;
        stage.UserType = Wire.Parse<UserType>(form.UserType);
        stage.UserPathTemplate = form.UserPathTemplate?.Trim() ?? "";
        return errors;
    }

    private static readonly FilterSet<UserWriteStage> Filters = new FilterSet<UserWriteStage>()
        .Flag("create_users_as_inactive", x => x.CreateUsersAsInactive).NullableUuid("create_users_group", x => x.CreateUsersGroupId)
        .Choice("user_creation_mode", x => x.UserCreationMode).Text("user_path_template", x => x.UserPathTemplate).Choice("user_type", x => x.UserType);

    protected override FilterSet<UserWriteStage>? ApiFilters => Filters;

    public override IReadOnlyList<string> ApiFields => ["user_creation_mode", "create_users_as_inactive", "create_users_group", "user_type", "user_path_template"];

    public override void WriteApi(Stage stage, JsonObject json)
    {
        var x = (UserWriteStage)stage;
        json["user_creation_mode"] = Wire.Name(x.UserCreationMode);
        json["create_users_as_inactive"] = x.CreateUsersAsInactive;
        json["create_users_group"] = x.CreateUsersGroupId?.ToString();
        json["user_type"] = Wire.Name(x.UserType);
        json["user_path_template"] = x.UserPathTemplate;
    }

    private IBlueprintModel? blueprint;

    public override IBlueprintModel Blueprint => blueprint ??= StageBlueprint.Model<UserWriteStage>(this,
    [
        Fields<UserWriteStage>.Choice("user_creation_mode", x => x.UserCreationMode),
        Fields<UserWriteStage>.Flag("create_users_as_inactive", x => x.CreateUsersAsInactive),
        Fields<UserWriteStage>.Reference<Group>("create_users_group", GroupModel, x => x.CreateUsersGroupId),
        Fields<UserWriteStage>.Choice("user_type", x => x.UserType),
        Fields<UserWriteStage>.Text("user_path_template", x => x.UserPathTemplate, maxLength: 200),
    ]);

    /// <summary>The user write stages that add new users to a group (for the group's delete page).</summary>
    public static IQueryable<UserWriteStage> AddingTo(AppDbContext db, Guid groupId) =>
        db.Stages.OfType<UserWriteStage>().Where(s => s.CreateUsersGroupId == groupId);
}
