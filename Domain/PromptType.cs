namespace Enrollment.Domain;

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
