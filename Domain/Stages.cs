namespace Enrollment.Domain;

/// <summary>A step of a flow. Kinds share one table (TPH); each kind adds its own settings.</summary>
public abstract class Stage
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }

    public List<FlowStageBinding> Bindings { get; set; } = [];

    public abstract StageKind Kind { get; }
}

public enum StageKind { Invitation, Prompt, UserWrite, UserLogin, Email }

public class InvitationStage : Stage
{
    public bool ContinueFlowWithoutInvitation { get; set; }
    public override StageKind Kind => StageKind.Invitation;
}

public class PromptStage : Stage
{
    public List<Prompt> Fields { get; set; } = [];
    public List<Policy> ValidationPolicies { get; set; } = [];
    public override StageKind Kind => StageKind.Prompt;
}

public class UserWriteStage : Stage
{
    public UserCreationMode UserCreationMode { get; set; } = UserCreationMode.CreateWhenRequired;
    public bool CreateUsersAsInactive { get; set; }
    public Guid? CreateUsersGroupId { get; set; }
    public Group? CreateUsersGroup { get; set; }
    public UserType UserType { get; set; } = UserType.External;
    public string UserPathTemplate { get; set; } = "";
    public override StageKind Kind => StageKind.UserWrite;
}

public class UserLoginStage : Stage
{
    /// <summary>authentik's timedelta string, e.g. <c>seconds=0</c> (until the browser closes) or <c>hours=8</c>.</summary>
    public string SessionDuration { get; set; } = "seconds=0";
    public string RememberMeOffset { get; set; } = "seconds=0";
    public bool TerminateOtherSessions { get; set; }
    public override StageKind Kind => StageKind.UserLogin;
}

public class Prompt
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public required string FieldKey { get; set; }
    public string Label { get; set; } = "";
    public PromptType Type { get; set; } = PromptType.Text;
    public bool Required { get; set; } = true;
    public string Placeholder { get; set; } = "";
    public bool PlaceholderExpression { get; set; }
    public string InitialValue { get; set; } = "";
    public bool InitialValueExpression { get; set; }
    public string SubText { get; set; } = "";
    public int Order { get; set; }

    public List<PromptStage> Stages { get; set; } = [];
}

/// <summary>authentik's email stage: sends a verification link and waits until it is opened.</summary>
public class EmailStage : Stage
{
    /// <summary>Use the server's <c>Email:*</c> settings instead of the connection below.</summary>
    public bool UseGlobalSettings { get; set; }
    public string Host { get; set; } = "localhost";
    public int Port { get; set; } = 25;
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";
    public bool UseTls { get; set; }
    public bool UseSsl { get; set; }
    /// <summary>Seconds.</summary>
    public int Timeout { get; set; } = 10;
    public string FromAddress { get; set; } = "system@authentik.local";
    /// <summary>Minutes the link stays valid.</summary>
    public int TokenExpiry { get; set; } = 30;
    public string Subject { get; set; } = "authentik";
    public string Template { get; set; } = "email/account_confirmation.html";
    public bool ActivateUserOnSuccess { get; set; }
    public override StageKind Kind => StageKind.Email;
}
