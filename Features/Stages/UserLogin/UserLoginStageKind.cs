using Enrollment.Features.Api.Shared;
using Enrollment.Domain;
using System.Text.Json.Nodes;
using Enrollment.Features.Stages.Shared;
using Enrollment.Infrastructure.Blueprints.Models;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;

namespace Enrollment.Features.Stages.UserLogin;

public sealed class UserLoginStageKind : StageKind<UserLoginStage, UserLoginStageForm>
{
    public const string WireName = "user_login";

    public override string Name => WireName;
    public override string Label => "User login stage";
    public override string Description => "Signs the new user in.";
    public override string AppLabel => "authentik_stages_user_login";
    public override int Order => 40;
    public override Type ExecutorType => typeof(UserLoginStageExecutor);
    public override string FieldsPartial => "/Features/Stages/UserLogin/_UserLoginFields.cshtml";

    protected override UserLoginStage Create() => new() { Name = "" };

    protected override void Read(UserLoginStage stage, UserLoginStageForm form)
    {
        form.SessionDuration = stage.SessionDuration;
        form.RememberMeOffset = stage.RememberMeOffset;
        form.TerminateOtherSessions = stage.TerminateOtherSessions;
    }

    protected override Task<IReadOnlyList<FieldError>> WriteAsync(AppDbContext db, UserLoginStageForm form, UserLoginStage stage, CancellationToken ct)
    {
        stage.SessionDuration = TimedeltaAttribute.Normalize(form.SessionDuration);
        stage.RememberMeOffset = TimedeltaAttribute.Normalize(form.RememberMeOffset);
        stage.TerminateOtherSessions = form.TerminateOtherSessions;
        return NoErrors();
    }

    private static readonly FilterSet<UserLoginStage> Filters = new FilterSet<UserLoginStage>()
        .Text("session_duration", x => x.SessionDuration).Flag("terminate_other_sessions", x => x.TerminateOtherSessions)
        .Text("remember_me_offset", x => x.RememberMeOffset);

    protected override FilterSet<UserLoginStage>? ApiFilters => Filters;

    public override IReadOnlyList<string> ApiFields => ["session_duration", "terminate_other_sessions", "remember_me_offset"];

    public override void WriteApi(Stage stage, JsonObject json)
    {
        var x = (UserLoginStage)stage;
        json["session_duration"] = x.SessionDuration;
        json["terminate_other_sessions"] = x.TerminateOtherSessions;
        json["remember_me_offset"] = x.RememberMeOffset;
    }

    private IBlueprintModel? blueprint;

    public override IBlueprintModel Blueprint => blueprint ??= StageBlueprint.Model<UserLoginStage>(this,
    [
        TimedeltaField("session_duration", x => x.SessionDuration),
        TimedeltaField("remember_me_offset", x => x.RememberMeOffset),
        Fields<UserLoginStage>.Flag("terminate_other_sessions", x => x.TerminateOtherSessions),
    ], ignored: new HashSet<string> { "remember_device", "network_binding", "geoip_binding" });

    private static Field<UserLoginStage> TimedeltaField(string name, System.Linq.Expressions.Expression<Func<UserLoginStage, string>> property)
    {
        var text = Fields<UserLoginStage>.Text(name, property, required: true, maxLength: 100,
            check: s => TimedeltaAttribute.IsValid(s) ? null : TimedeltaAttribute.Message);
        // Stored in the admin form's canonical spelling, so a re-import of "hours = 8" is no change.
        return Fields<UserLoginStage>.Wrap(text, v => TimedeltaAttribute.Normalize((string)text.Convert(v)!));
    }
}
