using System.Text.RegularExpressions;
using Enrollment.Domain;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Blueprints.Models;
using Enrollment.Infrastructure.Identity;

namespace Enrollment.Features.Tokens;

/// <summary>
/// authentik's <c>authentik_core.token</c>, as blueprints and the API write tokens. Only intent <c>api</c>: those are
/// the tokens Enrollment authenticates. <c>key</c> (write-only, as in authentik's bootstrap blueprint) sets the key,
/// of which only the digest is kept; a token made without one gets a random key nobody has seen (the API makes its
/// own and shows it once, see <see cref="TokenKeys"/>).
/// </summary>
internal static partial class TokenBlueprint
{
    public const string Name = "authentik_core.token";

    [GeneratedRegex("^[-a-zA-Z0-9_]+$")]
    private static partial Regex IdentifierPattern();

    public static IBlueprintModel Model()
    {
        var intent = Fields<Token>.Choice("intent", x => x.Intent);
        return new BlueprintModel<Token>
        {
            Name = Name,
            New = () => new Token { Identifier = "", KeyHash = ApiTokenAuthenticationHandler.Digest(TokenKeys.NewKey()), UserId = 0 },
            PkField = Keys.Guid<Token>(x => x.Id),
            GetPk = x => x.Id,
            Fields =
            [
                Fields<Token>.Text("identifier", x => x.Identifier, required: true, maxLength: 200,
                    check: s => IdentifierPattern().IsMatch(s) ? null : "use only letters, digits, '_' and '-'."),
                Fields<Token>.Wrap(intent, v => intent.Convert(v) is TokenIntent.Api
                    ? TokenIntent.Api
                    : throw new BlueprintException("only 'api' is supported: Enrollment's tokens authenticate API calls.")),
                Fields<Token>.Custom("user", v => FieldValues.UserKey(v, nullable: false), async (t, v, ctx) =>
                {
                    var id = (int)v!;
                    if (await ctx.Db.Users.FindAsync([id], ctx.Ct) is null) throw new BlueprintException($"no authentik_core.user with pk {id}.");
                    t.UserId = id;
                }),
                Fields<Token>.Text("description", x => x.Description, maxLength: 500),
                Fields<Token>.Timestamp("expires", x => x.Expires),
                Fields<Token>.Flag("expiring", x => x.Expiring),
                Fields<Token>.Custom("key", v => FieldValues.Text(v, nullable: false) is { Length: >= 8 } key
                    ? key
                    : throw new BlueprintException("must be at least 8 characters."), (t, v, _) =>
                {
                    t.KeyHash = ApiTokenAuthenticationHandler.Digest((string)v!);
                    t.PendingKey = null;
                    return Task.CompletedTask;
                }),
            ],
            Ignored = new HashSet<string> { "managed" },
            Required = [["identifier"]],
            // Not in Required: the API fills in the caller, and a full update keeps the token's user when none is given.
            Validate = t => t.UserId == 0 ? ("user", "is required: the user the token authenticates as.") : null,
            Identifiers = ["identifier"],
        };
    }
}
