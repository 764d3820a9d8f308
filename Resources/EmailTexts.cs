namespace Enrollment.Resources;

/// <summary>
/// The texts of the shipped email templates and their subjects (invitation, reminder, email confirmation, password
/// reset). Keys and translations as in <see cref="FlowTexts"/>; an admin's own templates may use them too.
/// </summary>
public sealed class EmailTexts
{
    private EmailTexts() { }
}
