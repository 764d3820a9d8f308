using Enrollment.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Blueprints.Models;

/// <summary><c>authentik_core.*</c>: groups and users.</summary>
internal static class CoreModels
{
    public const string GroupName = "authentik_core.group";
    public const string UserName = "authentik_core.user";

    public static IBlueprintModel Group() => new BlueprintModel<Group>
    {
        Name = GroupName,
        New = () => new Group { Name = "" },
        PkField = Keys.Guid<Group>(x => x.Id),
        GetPk = x => x.Id,
        Fields =
        [
            Fields<Group>.Text("name", x => x.Name, required: true, maxLength: 200),
            Fields<Group>.Flag("is_superuser", x => x.IsSuperuser),
            // Not exported: a group is written only as something a flow refers to, created when missing.
            Fields<Group>.Reference<Group>("parent", GroupName, x => x.ParentId).NotExported(),
            Parents(),
            Members(),
            Fields<Group>.Json("attributes", x => x.Attributes),
        ],
        Ignored = new HashSet<string> { "roles" },
        Required = [["name"]],
        Validate = g => g.ParentId == g.Id ? ("parent", "a group cannot be its own parent.") : null,
        ExportId = x => "group-" + x.Name,
        ExportState = "created",
        SortBy = x => x.Name,
    };

    public static IBlueprintModel User() => new BlueprintModel<User>
    {
        Name = UserName,
        // Locked after repeated failed sign-ins, like every account Identity creates.
        New = () => new User { SecurityStamp = Guid.NewGuid().ToString(), LockoutEnabled = true },
        PkField = Fields<User>.Custom("pk", v => FieldValues.UserKey(v, nullable: false), (u, v, _) =>
        {
            u.Id = (int)v!;
            return Task.CompletedTask;
        }, v => Fields<User>.Member(x => x.Id).Match((int)v!)),
        GetPk = x => x.Id,
        Fields =
        [
            Identity("username", x => x.UserName, (u, v, n) => { u.UserName = v; u.NormalizedUserName = n.NormalizeName(v); }, required: true),
            Identity("email", x => x.Email, (u, v, n) => { u.Email = v; u.NormalizedEmail = n.NormalizeEmail(v); }, required: false),
            Fields<User>.Text("name", x => x.Name, maxLength: 300),
            Fields<User>.Flag("is_active", x => x.IsActive),
            Fields<User>.Text("path", x => x.Path, required: true, maxLength: 300),
            Fields<User>.Choice("type", x => x.Type),
            Fields<User>.Json("attributes", x => x.Attributes),
            Fields<User>.Many<Group>("groups", GroupName, nameof(Domain.User.Groups), x => x.Groups),
            Fields<User>.Custom("password", v => FieldValues.Text(v, nullable: false), Password),
        ],
        Ignored = new HashSet<string> { "last_login", "password_change_date", "roles", "uuid" },
        Required = [["username"]],
        Validate = u => Domain.User.UsernameShadowsEmail(u.UserName, u.Email) ? ("username", Domain.User.UsernameIsAnotherEmail) : null,
    };

    /// <summary>
    /// authentik 2.x's <c>parents</c> list; an Enrollment group has at most one parent, so the list holds none or one.
    /// Not exported (<c>parent</c> is the same link).
    /// </summary>
    private static Field<Group> Parents() => Fields<Group>.Custom("parents",
        v =>
        {
            var keys = FieldValues.List(v).Select(item => FieldValues.Key(item, nullable: false)!.Value).Distinct().ToList();
            return keys.Count <= 1 ? keys : throw new BlueprintException("an Enrollment group has at most one parent.");
        },
        async (g, v, ctx) =>
        {
            var keys = (List<Guid>)v!;
            if (keys.Count == 1) await References.RequireAsync<Group>(ctx, keys[0], GroupName);
            g.ParentId = keys.Count == 1 ? keys[0] : null;
        });

    /// <summary>The group's members by user pk (authentik's <c>users</c>); replaces the whole list. Not exported.</summary>
    private static Field<Group> Members() => Fields<Group>.Custom("users",
        v => FieldValues.List(v).Select((item, i) =>
        {
            try { return FieldValues.UserKey(item, nullable: false)!.Value; }
            catch (BlueprintException e) { throw new BlueprintException($"item {i}: {e.Message}"); }
        }).Distinct().ToList(),
        async (g, v, ctx) =>
        {
            var ids = (List<int>)v!;
            var users = await ctx.Db.Users.Where(u => ids.Contains(u.Id)).ToListAsync(ctx.Ct);
            if (ids.Except(users.Select(u => u.Id)).ToList() is { Count: > 0 } missing)
                throw new BlueprintException($"no {UserName} with pk {string.Join(", ", missing)}.");
            var entry = ctx.Db.Entry(g);
            if (entry.State is EntityState.Unchanged or EntityState.Modified && !entry.Collection(x => x.Users).IsLoaded)
                await entry.Collection(x => x.Users).LoadAsync(ctx.Ct);
            g.Users.Clear();
            g.Users.AddRange(ids.Select(id => users.First(u => u.Id == id)));
        });

    /// <summary>Identity keeps a normalized copy of username and email, which its lookups use.</summary>
    private static Field<User> Identity(string name, System.Linq.Expressions.Expression<Func<User, string?>> property,
        Action<User, string, ILookupNormalizer> set, bool required)
    {
        var (_, match) = Fields<User>.Member(property);
        return Fields<User>.Custom(name,
            v =>
            {
                var text = FieldValues.Text(v, nullable: !required) ?? "";
                if (required && text.Trim().Length == 0) throw new BlueprintException("may not be empty.");
                return text.Length <= 256 ? text : throw new BlueprintException("is longer than 256 characters.");
            },
            (u, v, ctx) =>
            {
                set(u, (string)v!, ctx.Normalizer);
                return Task.CompletedTask;
            },
            v => match((string?)v));
    }

    /// <summary>
    /// Hashed with Identity's hasher after Identity's password validator — the default password policy, which a person
    /// meets in a flow without a password policy of its own — accepted it; a password that already verifies is left
    /// alone, so a re-import is no change.
    /// </summary>
    private static async Task Password(User user, object? value, WriteContext ctx)
    {
        var password = (string)value!;
        if (password.Length == 0) throw new BlueprintException("may not be empty.");
        if (user.PasswordHash is not null && ctx.Hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed)
            return;
        if (ctx.Users is { } users)
        {
            var problems = new List<string>();
            foreach (var validator in users.PasswordValidators)
                problems.AddRange((await validator.ValidateAsync(users, user, password)).Errors.Select(e => e.Description));
            if (problems.Count > 0) throw new BlueprintException("is refused by the password rules: " + string.Join(" ", problems));
        }
        user.PasswordHash = ctx.Hasher.HashPassword(user, password);
        user.SecurityStamp = Guid.NewGuid().ToString();
    }
}
