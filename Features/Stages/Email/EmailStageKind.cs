using Enrollment.Features.Api.Shared;
using Enrollment.Domain;
using System.Text.Json.Nodes;
using Enrollment.Features.Stages.Shared;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Blueprints.Models;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Email;
using Enrollment.Infrastructure.Web;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.Email;

public sealed class EmailStageKind : StageKind<EmailStage, EmailStageForm>
{
    public const string WireName = "email";

    public override string Name => WireName;
    public override string Label => "Email stage";
    public override string Description => "Sends a link to the user's email address and waits until it is opened.";
    public override string AppLabel => "authentik_stages_email";
    public override int Order => 50;
    public override Type ExecutorType => typeof(EmailStageExecutor);
    public override Type LinkType => typeof(EmailLink);
    public override string FieldsPartial => "/Features/Stages/Email/_EmailFields.cshtml";

    protected override EmailStage Create() => new() { Name = "" };

    protected override void Read(EmailStage stage, EmailStageForm form)
    {
        form.UseGlobalSettings = stage.UseGlobalSettings;
        form.Host = stage.Host;
        form.Port = stage.Port;
        form.Username = stage.Username;
        form.UseTls = stage.UseTls;
        form.UseSsl = stage.UseSsl;
        form.Timeout = stage.Timeout;
        form.FromAddress = stage.FromAddress;
        form.TokenExpiry = stage.TokenExpiry;
        form.Subject = stage.Subject;
        form.Template = stage.Template;
        form.ActivateUserOnSuccess = stage.ActivateUserOnSuccess;
    }

    protected override Task<IReadOnlyList<FieldError>> WriteAsync(AppDbContext db, EmailStageForm form, EmailStage stage, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (form.UseTls && form.UseSsl)
            errors.Add(new(nameof(EmailStageForm.UseSsl), "Choose either TLS (STARTTLS, usually port 587) or SSL (usually port 465), not both."));
        stage.UseGlobalSettings = form.UseGlobalSettings;
        stage.Host = form.Host?.Trim() ?? "";
        stage.Port = form.Port;
        stage.Username = form.Username?.Trim() ?? "";
        // The password is never shown: an empty field keeps the stored one; clearing it is explicit.
        if (form.ClearPassword) stage.Password = "";
        else if (!string.IsNullOrEmpty(form.Password)) stage.Password = form.Password;
        stage.UseTls = form.UseTls;
        stage.UseSsl = form.UseSsl;
        stage.Timeout = form.Timeout;
        stage.FromAddress = form.FromAddress?.Trim() ?? "";
        stage.TokenExpiry = form.TokenExpiry;
        stage.Subject = form.Subject?.Trim() ?? "";
        stage.Template = form.Template?.Trim() ?? "";
        stage.ActivateUserOnSuccess = form.ActivateUserOnSuccess;
        return Task.FromResult<IReadOnlyList<FieldError>>(errors);
    }

    private static readonly FilterSet<EmailStage> Filters = new FilterSet<EmailStage>()
        .Flag("activate_user_on_success", x => x.ActivateUserOnSuccess).Text("from_address", x => x.FromAddress).Text("host", x => x.Host)
        .Number("port", x => x.Port).Text("subject", x => x.Subject).Text("template", x => x.Template).Number("timeout", x => x.Timeout)
        .Flag("use_global_settings", x => x.UseGlobalSettings).Flag("use_ssl", x => x.UseSsl).Flag("use_tls", x => x.UseTls)
        .Text("username", x => x.Username);

    protected override FilterSet<EmailStage>? ApiFilters => Filters;

    public override IReadOnlyList<string> ApiFields => ["use_global_settings", "host", "port", "username", "password", "use_tls", "use_ssl", "timeout", "from_address", "token_expiry", "subject", "template", "activate_user_on_success"];

    public override void WriteApi(Stage stage, JsonObject json)
    {
        // The SMTP password is write-only, as in authentik's serializer.
        var x = (EmailStage)stage;
        json["use_global_settings"] = x.UseGlobalSettings;
        json["host"] = x.Host;
        json["port"] = x.Port;
        json["username"] = x.Username;
        json["use_tls"] = x.UseTls;
        json["use_ssl"] = x.UseSsl;
        json["timeout"] = x.Timeout;
        json["from_address"] = x.FromAddress;
        json["token_expiry"] = $"minutes={x.TokenExpiry}";
        json["subject"] = x.Subject;
        json["template"] = x.Template;
        json["activate_user_on_success"] = x.ActivateUserOnSuccess;
    }

    private IBlueprintModel? blueprint;

    public override IBlueprintModel Blueprint => blueprint ??= StageBlueprint.Model<EmailStage>(this,
    [
        Fields<EmailStage>.Flag("use_global_settings", x => x.UseGlobalSettings),
        Fields<EmailStage>.Text("host", x => x.Host, maxLength: 255),
        Bounded("port", x => x.Port, 1, 65535),
        Fields<EmailStage>.Text("username", x => x.Username, maxLength: 255),
        // Never exported: a blueprint file is no place for a secret. A re-import (state present) keeps the stored one.
        Fields<EmailStage>.Text("password", x => x.Password, maxLength: 255).NotExported(),
        Fields<EmailStage>.Flag("use_tls", x => x.UseTls),
        Fields<EmailStage>.Flag("use_ssl", x => x.UseSsl),
        Bounded("timeout", x => x.Timeout, 1, 3600),
        Fields<EmailStage>.Text("from_address", x => x.FromAddress, required: true, maxLength: 255,
            check: s => EmailStageMail.TryParseFrom(s, out _, out var error) ? null : error),
        TokenExpiry(),
        Fields<EmailStage>.Text("subject", x => x.Subject, required: true, maxLength: 255, check: EmailStageMail.SubjectProblem),
        // Only the name's form: an admin may add the template file after importing.
        Fields<EmailStage>.Text("template", x => x.Template, required: true, maxLength: 255,
            check: s => EmailTemplates.IsValidName(s) ? null : "is not a template name like email/account_confirmation.html."),
        Fields<EmailStage>.Flag("activate_user_on_success", x => x.ActivateUserOnSuccess),
    ], ignored: new HashSet<string> { "recovery_max_attempts", "recovery_cache_timeout" });

    private static Field<EmailStage> Bounded(string name, System.Linq.Expressions.Expression<Func<EmailStage, int>> property, int min, int max)
    {
        var number = Fields<EmailStage>.Number(name, property, min);
        return Fields<EmailStage>.Wrap(number, v => (int)number.Convert(v)! is var n && n <= max ? n : throw new BlueprintException($"must be at most {max}."));
    }

    /// <summary>
    /// Minutes, as a number (authentik up to 2023) or a timedelta string such as <c>minutes=30</c> or <c>hours=1</c>
    /// (later versions), stored as whole minutes (rounded up).
    /// </summary>
    private static Field<EmailStage> TokenExpiry()
    {
        var number = Bounded("token_expiry", x => x.TokenExpiry, 1, EmailStage.MaxTokenExpiry);
        return Fields<EmailStage>.Wrap(number, v =>
        {
            if (v is not string s || !s.Contains('=')) return number.Convert(v);
            if (!TimedeltaAttribute.IsValid(s)) throw new BlueprintException(TimedeltaAttribute.Message);
            return number.Convert((long)Math.Ceiling(Timedelta.Parse(s).TotalMinutes));
        });
    }
}
