using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;

namespace Enrollment.Domain;

public class User : IdentityUser<int>
{
    public string Name { get; set; } = "";
    public bool IsActive { get; set; } = true;
    public string Path { get; set; } = "users";
    public UserType Type { get; set; } = UserType.Internal;
    public JsonObject Attributes { get; set; } = [];
    public DateTime DateJoined { get; set; } = DateTime.UtcNow;
    public DateTime? LastLogin { get; set; }

    public List<Group> Groups { get; set; } = [];

    public const string UsernameIsAnotherEmail = "A username that is an email address must be the account's own email address.";

    /// <summary>
    /// A username that is an email address (has an <c>@</c>) must be the user's own email: sign-in takes either, and a
    /// username equal to somebody else's address would let its holder pass for them. Every write path checks this.
    /// </summary>
    public static bool UsernameShadowsEmail(string? username, string? email) =>
        username is not null && username.Contains('@')
        && !string.Equals(username.Trim(), email?.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>The longest username sign-in takes (its form refuses longer before any lookup).</summary>
    /// <summary>
    /// authentik's <c>AnonymousUser</c>: the creator of what a blueprint or the system makes. Not a person: lists and
    /// counts of users leave it out (<see cref="People"/>), as authentik's do.
    /// </summary>
    public const string AnonymousUsername = "AnonymousUser";

    /// <summary>Every user but <see cref="AnonymousUsername"/>.</summary>
    public static readonly System.Linq.Expressions.Expression<Func<User, bool>> People = u => u.UserName != AnonymousUsername;

    public const int MaxUserNameLength = 150;
    /// <summary>The name column's size.</summary>
    public const int MaxNameLength = 300;
    /// <summary>The longest email address (RFC 5321's path limit).</summary>
    public const int MaxEmailLength = 254;

    /// <summary>
    /// What of this user does not fit where it is kept, as a sentence, or null. Values can come from places no form
    /// checked (an invitation's <c>fixed_data</c>, a policy): the write says so instead of failing in the database.
    /// </summary>
    /// <param name="words">Puts the text into words (<see cref="English.Format"/> when null; a localizer for invitees).</param>
    public string? TooLong(Func<string, object[], string>? words = null)
    {
        words ??= English.Format;
        return UserName?.Length > MaxUserNameLength ? words("The username is too long: at most {0} characters.", [MaxUserNameLength])
            : Name.Length > MaxNameLength ? words("The name is too long: at most {0} characters.", [MaxNameLength])
            : Email?.Length > MaxEmailLength ? words("The email address is too long: at most {0} characters.", [MaxEmailLength])
            : null;
    }
}
