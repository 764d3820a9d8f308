using System.Linq.Expressions;
using Enrollment.Domain;
using Enrollment.Features.Api.Shared;
using Enrollment.Features.Groups.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;
using DeleteGroup = Enrollment.Features.Groups.DeleteGroup.DeleteGroup;

namespace Enrollment.Features.Api.Groups;

/// <summary>
/// <c>/api/v3/core/groups/</c> by UUID, with <c>add_user/</c> and <c>remove_user/</c>. Writes go through the group
/// model's blueprint fields; the admin's rules hold here too: a unique name, no parent loops, no change that leaves
/// nobody an active superuser, and a delete through the admin's command (not while the group has children).
/// </summary>
public sealed class GroupsResource : ApiResource<Group>
{
    private const string AttributeMatchesKey = "api.groups.attribute-matches";

    public override string Path => "/core/groups/";

    protected override string? Model => "authentik_core.group";

    protected override IReadOnlyList<string> Writable => ["name", "is_superuser", "parents", "users", "attributes"];

    protected override IQueryable<Group> Source(AppDbContext db) => db.Groups.Include(g => g.Users).Include(g => g.Parent).AsSplitQuery();

    protected override Expression<Func<Group, bool>> ByKey(string key) =>
        Guid.TryParse(key, out var id) ? g => g.Id == id : g => false;

    protected override Ordering<Group> Ordering { get; } = new Ordering<Group>("name")
        .Field("name", g => g.Name).Field("is_superuser", g => g.IsSuperuser);

    protected override Expression<Func<Group, object>> Tiebreak => g => g.Id;

    private static readonly FilterSet<Group> Filters = new FilterSet<Group>()
        .Text("name", g => g.Name).Flag("is_superuser", g => g.IsSuperuser).Search(g => g.Name);

    protected override IQueryable<Group> Filter(IQueryable<Group> items, ApiScope scope, FieldErrors errors)
    {
        items = Filters.Apply(items, scope.Query, errors);
        var usernames = QueryValues.Many(scope.Query, "members_by_username");
        if (usernames.Count > 0) items = items.Where(g => g.Users.Any(u => usernames.Contains(u.UserName!)));
        var pks = QueryValues.Numbers(scope.Query, "members_by_pk", errors);
        if (pks.Count > 0) items = items.Where(g => g.Users.Any(u => pks.Contains(u.Id)));
        foreach (var flag in new[] { "include_users", "include_children", "include_parents", "include_inherited_roles" })
            Shared.Filters.Boolean(scope.Query[flag], flag, errors);
        if (AttributesFilter.Parse(scope.Query[AttributesFilter.Parameter], errors) is not null
            && scope.Http.Items[AttributeMatchesKey] is List<Guid> matching)
            items = items.Where(g => matching.Contains(g.Id));
        return items;
    }

    protected override async Task<IReadOnlyList<object>> ToJsonAsync(ApiScope scope, IReadOnlyList<Group> items)
    {
        bool Flag(string name, bool otherwise) => Shared.Filters.Boolean(scope.Query[name], name, new FieldErrors()) ?? otherwise;
        var includeUsers = Flag("include_users", true);
        var includeChildren = Flag("include_children", false);
        var includeParents = Flag("include_parents", false);
        var ids = items.Select(g => g.Id).ToList();
        var children = (await scope.Db.Groups.AsNoTracking().Where(c => c.ParentId != null && ids.Contains(c.ParentId.Value)).OrderBy(c => c.Name).ToListAsync(scope.Ct))
            .ToLookup(c => c.ParentId!.Value);
        return items.Select(g => (object)new GroupJson(
            g.Id, GroupNumber.Of(g.Id), g.Name, g.IsSuperuser,
            g.ParentId is { } parent ? [parent] : [],
            includeParents ? (g.Parent is { } p ? [RelatedGroupJson.Of(p)] : []) : null,
            g.Users.OrderBy(u => u.Id).Select(u => u.Id).ToList(),
            includeUsers ? g.Users.OrderBy(u => u.Id).Select(PartialUserJson.Of).ToList() : null,
            g.Attributes, [], [], null,
            children[g.Id].Select(c => c.Id).ToList(),
            includeChildren ? children[g.Id].Select(RelatedGroupJson.Of).ToList() : null)).ToList();
    }

    protected override async Task CheckAsync(ApiScope scope, Group entity, bool creating, FieldErrors errors)
    {
        if (await scope.Db.Groups.AnyAsync(g => g.Name == entity.Name && g.Id != entity.Id, scope.Ct))
            errors.Add("name", "Group with this name already exists.");
        if (entity.ParentId is { } parent)
        {
            var parents = await scope.Db.Groups.AsNoTracking().ToDictionaryAsync(g => g.Id, g => g.ParentId, scope.Ct);
            if (GroupTree.SelfAndAncestors(parents, parent).Contains(entity.Id))
                errors.Add("parents", "A group cannot be its own parent or the child of one of its descendants.");
        }
        if (!creating && !errors.Any && !await SuperuserGuard.AnyActiveSuperuserAfterAsync(scope.Db, scope.Ct,
                groups => groups[entity.Id] = new SuperuserGuard.Node(entity.ParentId, entity.IsSuperuser)))
            errors.Add("non_field_errors", SuperuserGuard.Refusal);
    }

    protected override (string App, string ModelName) EventModel => ("authentik_core", "group");

    protected override string Describe(Group entity) => entity.Name;

    protected override object PkOf(Group entity) => entity.Id;

    public override async Task<IResult> DeleteAsync(ApiScope scope, string key) =>
        await scope.Services.GetRequiredService<ISender>().Send(new DeleteGroup.Command(Guid.Parse(key)), scope.Ct) is { } result
            ? Deleted(true, result.Succeeded ? null : result.Errors[0].Message)
            : Deleted(false);

    public override void Map(RouteGroupBuilder api)
    {
        var groups = api.MapGroup("").AddEndpointFilter(async (context, next) =>
        {
            await PrepareListAsync(context.HttpContext);
            return await next(context);
        });
        base.Map(groups);
        groups.MapPost(Path + "{key:guid}/add_user/", (Guid key, HttpContext http, AppDbContext db, CancellationToken ct) => MembershipAsync(key, http, db, add: true, ct)).WithName(OperationId("add_user_create"));
        groups.MapPost(Path + "{key:guid}/remove_user/", (Guid key, HttpContext http, AppDbContext db, CancellationToken ct) => MembershipAsync(key, http, db, add: false, ct)).WithName(OperationId("remove_user_create"));
    }

    private static async Task PrepareListAsync(HttpContext http)
    {
        if (!HttpMethods.IsGet(http.Request.Method)
            || AttributesFilter.Parse(http.Request.Query[AttributesFilter.Parameter], new FieldErrors()) is not { } wanted) return;
        var db = http.RequestServices.GetRequiredService<AppDbContext>();
        var all = await db.Groups.AsNoTracking().Select(g => new { g.Id, g.Attributes }).ToListAsync(http.RequestAborted);
        http.Items[AttributeMatchesKey] = all.Where(g => AttributesFilter.Matches(g.Attributes, wanted)).Select(g => g.Id).ToList();
    }

    /// <summary>
    /// authentik's <c>add_user</c>/<c>remove_user</c>: <c>{"pk": user id}</c>, 204; an unknown group is a 404 without
    /// a body (as authentik's schema says), an unknown user a 400 on <c>pk</c>. Adding a member twice or removing a
    /// non-member changes nothing.
    /// </summary>
    private static async Task<IResult> MembershipAsync(Guid key, HttpContext http, AppDbContext db, bool add, CancellationToken ct)
    {
        var (body, error) = await ApiBody.ReadObjectAsync(http.Request, ct);
        if (error is not null) return error;
        var group = await db.Groups.Include(g => g.Users).FirstOrDefaultAsync(g => g.Id == key, ct);
        if (group is null) return BodilessNotFound.For(http);
        var errors = new FieldErrors();
        int? pk = null;
        if (!body!.TryGetPropertyValue("pk", out var node) || node is null) errors.Add("pk", "This field is required.");
        else if (node.GetValueKind() != System.Text.Json.JsonValueKind.Number || !node.AsValue().TryGetValue<int>(out var n)) errors.Add("pk", "A valid integer is required.");
        else pk = n;
        var user = pk is { } id ? await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct) : null;
        if (pk is not null && user is null) errors.Add("pk", $"Invalid pk \"{pk}\" - object does not exist.");
        if (errors.Any) return ApiResult<object>.Invalid(errors).ToHttp();
        var member = group.Users.FirstOrDefault(u => u.Id == user!.Id);
        if (add == (member is not null)) return Results.NoContent();
        if (add) group.Users.Add(user!);
        else
        {
            if (!await SuperuserGuard.AnyActiveSuperuserAfterAsync(db, ct, leaving: (user!.Id, group.Id)))
            {
                errors.Add("pk", SuperuserGuard.Refusal);
                return ApiResult<object>.Invalid(errors).ToHttp();
            }
            group.Users.Remove(member!);
        }
        http.RequestServices.GetRequiredService<AuditTrail>().Record("model_updated", AuditTrail.Model("authentik_core", group.Name, group.Id, "group"));
        await db.SaveChangesAsync(ct);
        return Results.NoContent();
    }
}
