namespace Enrollment.Domain;

public enum FlowDesignation { Authentication, Authorization, Invalidation, Enrollment, Unenrollment, Recovery, StageConfiguration }

public enum FlowAuthentication { None, RequireAuthenticated, RequireUnauthenticated, RequireSuperuser, RequireRedirect, RequireOutpost }

public enum DeniedAction { MessageContinue, Message, Continue }

public enum PolicyEngineMode { Any, All }

public enum InvalidResponseAction { Retry, Restart, RestartWithContext }

public enum FlowLayout { Stacked, ContentLeft, ContentRight, SidebarLeft, SidebarRight }

public enum UserCreationMode { CreateWhenRequired, AlwaysCreate, NeverCreate }

public enum UserType { Internal, External, ServiceAccount, InternalServiceAccount }

public enum TokenIntent { Api, Verification, AppPassword, Recovery }

public enum PromptType
{
    Text,
    TextArea,
    TextReadOnly,
    TextAreaReadOnly,
    Username,
    Email,
    Password,
    Number,
    Checkbox,
    [WireName("radio-button-group")] RadioButtonGroup,
    Dropdown,
    Date,
    [WireName("date-time")] DateTime,
    File,
    Separator,
    Hidden,
    Static,
    [WireName("ak-locale")] AkLocale,
    AlertInfo,
    AlertWarning,
    AlertDanger,
}
