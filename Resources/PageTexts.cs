namespace Enrollment.Resources;

/// <summary>
/// The texts of the other pages invitees and users see: the card pages' frame, the error page, sign-in and sign-out,
/// the user page, the start page, the error summary of their forms. Keys and translations as in <see cref="FlowTexts"/>.
/// </summary>
public sealed class PageTexts
{
    private PageTexts() { }
}
