using System.Linq.Expressions;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Features.Api.Shared;
using Enrollment.Features.Groups.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Blueprints.Models;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Identity;
using Enrollment.Infrastructure.Python;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using DeleteUser = Enrollment.Features.Users.DeleteUser.DeleteUser;

namespace Enrollment.Features.Api.Users;

/// <summary>
/// <c>/api/v3/core/users/</c> by pk, with <c>set_password/</c> (Identity's password rules, as a flow's) and
/// <c>paths/</c>. <c>is_superuser</c> is inherited from parent groups, as authentik's. A delete goes through the
/// admin's delete command (nobody deletes their own account); a change that would leave no active superuser is refused.
/// </summary>
public sealed class UsersResource : ApiResource<User>
{
    private const string UserModel = "authentik_core.user";
    private const string SuperuserKey = "api.users.superuser-groups";
    private const string AttributeMatchesKey = "api.users.attribute-matches";

    public override string Path => "/core/users/";

    protected override string KeyRoute => "{key:int}";

    protected override string? Model => UserModel;

    protected override IReadOnlyList<string> Writable => ["username", "name", "is_active", "groups", "email", "attributes", "path", "type"];

    // As authentik's viewset (exclude_anonymous): the AnonymousUser is not listed, read or changed.
    protected override IQueryable<User> Source(AppDbContext db) => db.Users.Where(User.People).Include(u => u.Groups);

    protected override Expression<Func<User, bool>> ByKey(string key) =>
        int.TryParse(key, out var id) ? u => u.Id == id : u => false;

    protected override Ordering<User> Ordering { get; } = new Ordering<User>("username")
        .Field("username", u => u.UserName).Field("name", u => u.Name).Field("email", u => u.Email).Field("path", u => u.Path)
        .Field("is_active", u => u.IsActive).Field("date_joined", u => u.DateJoined).Field("last_login", u => u.LastLogin).Field("pk", u => u.Id);

    protected override Expression<Func<User, object>> Tiebreak => u => u.Id;

    private static readonly FilterSet<User> Filters = new FilterSet<User>()
        .Text("username", u => u.UserName!).Text("name", u => u.Name).Text("email", u => u.Email!).Text("path", u => u.Path)
        .Custom("path_startswith", (items, value, _) => items.Where(u => u.Path.StartsWith(value)))
        .Flag("is_active", u => u.IsActive)
        .Custom("uuid", (items, value, errors) =>
        {
            if (!Guid.TryParse(value, out var uuid))
            {
                errors.Add("uuid", "Enter a valid UUID.");
                return items;
            }
            var pk = UserUuid.PkOf(uuid) ?? 0;
            return items.Where(u => u.Id == pk);
        })
        .Search(u => u.UserName!, u => u.Name, u => u.Email!);

    protected override IQueryable<User> Filter(IQueryable<User> items, ApiScope scope, FieldErrors errors)
    {
        items = Filters.Apply(items, scope.Query, errors);
        var types = new List<UserType>();
        foreach (var value in QueryValues.Many(scope.Query, "type"))
            if (Shared.Filters.Choice<UserType>(value, "type", errors) is { } t) types.Add(t);
        if (types.Count > 0) items = items.Where(AnyType(types));
        var names = QueryValues.Many(scope.Query, "groups_by_name");
        if (names.Count > 0) items = items.Where(u => u.Groups.Any(g => names.Contains(g.Name)));
        var pks = QueryValues.Uuids(scope.Query, "groups_by_pk", errors);
        if (pks.Count > 0) items = items.Where(u => u.Groups.Any(g => pks.Contains(g.Id)));
        if (Shared.Filters.Boolean(scope.Query["is_superuser"], "is_superuser", errors) is { } superuser)
        {
            var ids = ((SuperuserGroups)scope.Http.Items[SuperuserKey]!).Ids.ToList();
            items = superuser ? items.Where(u => u.Groups.Any(g => ids.Contains(g.Id))) : items.Where(u => !u.Groups.Any(g => ids.Contains(g.Id)));
        }
        Shared.Filters.Boolean(scope.Query["include_groups"], "include_groups", errors);
        if (AttributesFilter.Parse(scope.Query[AttributesFilter.Parameter], errors) is not null
            && scope.Http.Items[AttributeMatchesKey] is List<int> matching)
            items = items.Where(u => matching.Contains(u.Id));
        return items;
    }

    /// <summary><c>type IN (…)</c> as ORs: the enum is stored as text through a converter.</summary>
    private static Expression<Func<User, bool>> AnyType(List<UserType> types)
    {
        var u = Expression.Parameter(typeof(User), "u");
        var body = types.Distinct().Select(t => (Expression)Expression.Equal(Expression.Property(u, nameof(User.Type)), Expression.Constant(t)))
            .Aggregate(Expression.OrElse);
        return Expression.Lambda<Func<User, bool>>(body, u);
    }

    protected override async Task<IReadOnlyList<object>> ToJsonAsync(ApiScope scope, IReadOnlyList<User> items)
    {
        var superuser = scope.Http.Items[SuperuserKey] as SuperuserGroups ?? await SuperuserGroups.LoadAsync(scope.Db, scope.Ct);
        var includeGroups = Shared.Filters.Boolean(scope.Query["include_groups"], "include_groups", new FieldErrors()) ?? true;
        return items.Select(u => (object)UserJson.Of(u, superuser, includeGroups)).ToList();
    }

    protected override async Task CheckAsync(ApiScope scope, User entity, bool creating, FieldErrors errors)
    {
        if (await scope.Db.Users.AnyAsync(u => u.NormalizedUserName == entity.NormalizedUserName && u.Id != entity.Id, scope.Ct))
            errors.Add("username", "A user with that username already exists.");
        if (entity.TooLong() is { } tooLong) errors.Add("non_field_errors", tooLong);
        if (!creating && !await LeavesASuperuserAsync(scope.Db, entity, scope.Ct)) errors.Add("non_field_errors", SuperuserGuard.Refusal);
    }

    /// <summary>Whether an active superuser remains once <paramref name="changed"/> (not yet saved) is saved.</summary>
    private static async Task<bool> LeavesASuperuserAsync(AppDbContext db, User changed, CancellationToken ct)
    {
        var superuser = await SuperuserGroups.LoadAsync(db, ct);
        if (changed.IsActive && changed.Groups.Any(g => superuser.Contains(g.Id))) return true;
        var ids = superuser.Ids.ToList();
        return await db.Users.AnyAsync(u => u.Id != changed.Id && u.IsActive && u.Groups.Any(g => ids.Contains(g.Id)), ct);
    }

    protected override (string App, string ModelName) EventModel => ("authentik_core", "user");

    protected override string Describe(User entity) => entity.UserName ?? "";

    protected override object PkOf(User entity) => entity.Id;

    public override async Task<IResult> DeleteAsync(ApiScope scope, string key) =>
        await scope.Services.GetRequiredService<ISender>().Send(new DeleteUser.Command(int.Parse(key), scope.Http.User.UserId() ?? 0), scope.Ct) is { } result
            ? Deleted(true, result.Succeeded ? null : result.Errors[0].Message)
            : Deleted(false);

    public override void Map(RouteGroupBuilder api)
    {
        api.MapGet(Path + "paths/", PathsAsync).WithName(OperationId("paths_retrieve"));
        var users = api.MapGroup("").AddEndpointFilter(async (context, next) =>
        {
            await PrepareListAsync(context.HttpContext);
            return await next(context);
        });
        base.Map(users);
        users.MapPost(Path + "{key:int}/set_password/", SetPasswordAsync).WithName(OperationId("set_password_create"));
    }

    /// <summary>What a list's filters need from other queries: the superuser groups, the users whose attributes match.</summary>
    private static async Task PrepareListAsync(HttpContext http)
    {
        if (!HttpMethods.IsGet(http.Request.Method)) return;
        var db = http.RequestServices.GetRequiredService<AppDbContext>();
        var ct = http.RequestAborted;
        http.Items[SuperuserKey] = await SuperuserGroups.LoadAsync(db, ct);
        if (AttributesFilter.Parse(http.Request.Query[AttributesFilter.Parameter], new FieldErrors()) is { } wanted)
        {
            var all = await db.Users.AsNoTracking().Select(u => new { u.Id, u.Attributes }).ToListAsync(ct);
            http.Items[AttributeMatchesKey] = all.Where(u => AttributesFilter.Matches(u.Attributes, wanted)).Select(u => u.Id).ToList();
        }
    }

    /// <summary>authentik's <c>UserPath</c>: every distinct path, those containing <c>search</c> when given.</summary>
    private static async Task<IResult> PathsAsync(HttpContext http, AppDbContext db, CancellationToken ct)
    {
        var paths = db.Users.AsNoTracking().Select(u => u.Path);
        var term = http.Request.Query["search"].ToString();
        if (!string.IsNullOrWhiteSpace(term))
        {
            var like = Paging.LikePattern(term);
            paths = paths.Where(p => EF.Functions.Like(p.ToLower(), like, "\\"));
        }
        var found = await paths.Distinct().OrderBy(p => p).ToListAsync(ct);
        return Results.Json(new { paths = found }, ApiJson.Options);
    }

    /// <summary>
    /// <c>POST {"password": …}</c>: the password goes through the user model's password field (the default password
    /// policy, as a person meets it in a flow); refused passwords are a 400 naming the rules, and nothing changes.
    /// </summary>
    private static async Task<IResult> SetPasswordAsync(int key, HttpContext http, AppDbContext db, CancellationToken ct)
    {
        var (body, error) = await ApiBody.ReadObjectAsync(http.Request, ct);
        if (error is not null) return error;
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == key, ct);
        if (user is null) return ApiResult<object>.NotFound().ToHttp();
        var errors = new FieldErrors();
        if (!body!.TryGetPropertyValue("password", out var node) || node is null)
            errors.Add("password", "This field is required.");
        else if (node.GetValueKind() != System.Text.Json.JsonValueKind.String)
            errors.Add("password", "Not a valid string.");
        else
        {
            var sp = http.RequestServices;
            var ctx = new WriteContext(db, sp.GetRequiredService<IPasswordHasher<User>>(), sp.GetRequiredService<ILookupNormalizer>(), ct,
                sp.GetService<PythonExpressions>(), sp.GetService<UserManager<User>>());
            try
            {
                await sp.GetRequiredService<ModelRegistry>().Get(UserModel).WriteAsync(user, "password", node.GetValue<string>(), ctx);
            }
            catch (BlueprintException e)
            {
                errors.Add("password", e.Message.Length == 0 ? e.Message : char.ToUpperInvariant(e.Message[0]) + e.Message[1..]);
            }
        }
        if (errors.Any) return ApiResult<object>.Invalid(errors).ToHttp();
        http.RequestServices.GetRequiredService<AuditTrail>().Record("password_set", AuditTrail.Model("authentik_core", user.UserName ?? "", user.Id, "user"));
        await db.SaveChangesAsync(ct);
        return Results.NoContent();
    }
}
