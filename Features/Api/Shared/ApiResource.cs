using System.Linq.Expressions;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Blueprints.Models;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Python;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Shared;

/// <summary>
/// One of authentik's model viewsets: list (filters, <c>search</c>, <c>ordering</c>, <c>page</c>/<c>page_size</c>),
/// create, retrieve, update, partial update and delete under authentik's path. Writes go through the model's
/// blueprint fields — the same conversions, checks and reference lookups a blueprint entry gets — so a value a
/// blueprint refuses, the API refuses with the same message, as DRF's <c>{field: [messages]}</c>. Fields the
/// request schema does not list (read-only ones like <c>pk</c>, unknown ones) are ignored, as DRF ignores them.
/// Each change records authentik's <c>model_created</c>/<c>model_updated</c>/<c>model_deleted</c> event in the same
/// save.
/// </summary>
public abstract class ApiResource<T> where T : class
{
    /// <summary>authentik's list path, e.g. <c>/flows/instances/</c>.</summary>
    public abstract string Path { get; }

    /// <summary>The route segment of one object (its constraint turns a malformed key into the API's 404).</summary>
    protected virtual string KeyRoute => "{key:guid}";

    /// <summary>The objects, with what <see cref="ToJsonAsync"/> needs loaded.</summary>
    protected abstract IQueryable<T> Source(AppDbContext db);

    protected abstract Expression<Func<T, bool>> ByKey(string key);

    protected abstract Ordering<T> Ordering { get; }

    /// <summary>The primary key, last in every ordering so pages are stable.</summary>
    protected abstract Expression<Func<T, object>> Tiebreak { get; }

    /// <summary>The query's filters and <c>search</c>; bad values go into <paramref name="errors"/>.</summary>
    protected virtual IQueryable<T> Filter(IQueryable<T> items, ApiScope scope, FieldErrors errors) => items;

    protected abstract Task<IReadOnlyList<object>> ToJsonAsync(ApiScope scope, IReadOnlyList<T> items);

    /// <summary>The blueprint model writes go through; null: the resource is read-only.</summary>
    protected virtual string? Model => null;

    /// <summary>The request schema's fields, in the order they are written.</summary>
    protected virtual IReadOnlyList<string> Writable => [];

    protected virtual bool Deletable => Model is not null;

    /// <summary>Checks across objects (a unique name taken) before a save; add errors to refuse.</summary>
    protected virtual Task CheckAsync(ApiScope scope, T entity, bool creating, FieldErrors errors) => Task.CompletedTask;

    /// <summary>What must happen before a delete (a reason to refuse in DRF's <c>detail</c>, or null).</summary>
    protected virtual Task<string?> BeforeDeleteAsync(ApiScope scope, T entity) => Task.FromResult<string?>(null);

    /// <summary>Work a write needs beyond the fields (e.g. a password hashed), before the save.</summary>
    protected virtual Task AfterWriteAsync(ApiScope scope, T entity, JsonObject body, bool creating) => Task.CompletedTask;

    /// <summary>authentik's app and model name for events (<c>authentik_flows</c>, <c>flow</c>).</summary>
    protected abstract (string App, string ModelName) EventModel { get; }

    protected abstract string Describe(T entity);

    protected abstract object PkOf(T entity);

    /// <summary>authentik's operation id of an action on this path, e.g. <c>flows_instances_list</c>.</summary>
    public string OperationId(string action) => Path.Trim('/').Replace('/', '_') + "_" + action;

    public virtual void Map(RouteGroupBuilder api)
    {
        var one = Path + KeyRoute + "/";
        api.MapGet(Path, (HttpContext http, AppDbContext db, CancellationToken ct) => ListAsync(new ApiScope(http, db, ct))).WithName(OperationId("list"));
        api.MapGet(one, (string key, HttpContext http, AppDbContext db, CancellationToken ct) => RetrieveAsync(new ApiScope(http, db, ct), key)).WithName(OperationId("retrieve"));
        if (Deletable) api.MapDelete(one, (string key, HttpContext http, AppDbContext db, CancellationToken ct) => DeleteAsync(new ApiScope(http, db, ct), key)).WithName(OperationId("destroy"));
        if (Model is null) return;
        api.MapPost(Path, (HttpContext http, AppDbContext db, CancellationToken ct) => CreateAsync(new ApiScope(http, db, ct))).WithName(OperationId("create"));
        api.MapPut(one, (string key, HttpContext http, AppDbContext db, CancellationToken ct) => UpdateAsync(new ApiScope(http, db, ct), key, partial: false)).WithName(OperationId("update"));
        api.MapPatch(one, (string key, HttpContext http, AppDbContext db, CancellationToken ct) => UpdateAsync(new ApiScope(http, db, ct), key, partial: true)).WithName(OperationId("partial_update"));
    }

    public async Task<IResult> ListAsync(ApiScope scope)
    {
        var errors = new FieldErrors();
        var page = PageRequest.Parse(scope.Query["page"], scope.Query["page_size"], errors);
        var items = Filter(Source(scope.Db).AsNoTrackingWithIdentityResolution(), scope, errors);
        if (errors.Any) return ApiResult<object>.Invalid(errors).ToHttp();
        var ordered = Ordering.Apply(items, scope.Query["ordering"]).ThenBy(Tiebreak);
        var result = await ordered.ToApiPageAsync(page, scope.Ct);
        if (result.Value is not { } found) return result.As<object>().ToHttp();
        var json = await ToJsonAsync(scope, found.Results);
        return ApiResult<ApiPage<object>>.Ok(new ApiPage<object>(found.Pagination, json)).ToHttp();
    }

    public async Task<IResult> RetrieveAsync(ApiScope scope, string key)
    {
        var entity = await Source(scope.Db).AsNoTrackingWithIdentityResolution().FirstOrDefaultAsync(ByKey(key), scope.Ct);
        return entity is null ? ApiResult<object>.NotFound().ToHttp() : await OneAsync(scope, entity, StatusCodes.Status200OK);
    }

    /// <summary>One object as the API shows it, with <paramref name="status"/>.</summary>
    protected async Task<IResult> OneAsync(ApiScope scope, T entity, int status) =>
        Results.Json((await ToJsonAsync(scope, [entity]))[0], ApiJson.Options, statusCode: status);

    public async Task<IResult> CreateAsync(ApiScope scope)
    {
        var (body, error) = await ApiBody.ReadObjectAsync(scope.Http.Request, scope.Ct);
        if (error is not null) return error;
        var model = Registry(scope).Get(Model!);
        var entity = (T)model.Create();
        var errors = await WriteAsync(scope, model, entity, body!, creating: true, partial: false);
        if (errors.Any) return ApiResult<object>.Invalid(errors).ToHttp();
        model.Add(scope.Db, entity);
        return await SaveAsync(scope, entity, "model_created", StatusCodes.Status201Created);
    }

    public async Task<IResult> UpdateAsync(ApiScope scope, string key, bool partial)
    {
        var (body, error) = await ApiBody.ReadObjectAsync(scope.Http.Request, scope.Ct);
        if (error is not null) return error;
        var entity = await Tracked(scope).FirstOrDefaultAsync(ByKey(key), scope.Ct);
        if (entity is null) return ApiResult<object>.NotFound().ToHttp();
        var model = Registry(scope).Get(Model!);
        var errors = await WriteAsync(scope, model, entity, body!, creating: false, partial);
        if (errors.Any) return ApiResult<object>.Invalid(errors).ToHttp();
        return await SaveAsync(scope, entity, "model_updated", StatusCodes.Status200OK);
    }

    /// <summary>
    /// Removes the object through its blueprint model. Resources whose admin pages delete through a command (which
    /// takes related rows with it) override this to send that command and answer with <see cref="Deleted"/>.
    /// </summary>
    public virtual async Task<IResult> DeleteAsync(ApiScope scope, string key)
    {
        var entity = await Tracked(scope).FirstOrDefaultAsync(ByKey(key), scope.Ct);
        if (entity is null) return ApiResult<object>.NotFound().ToHttp();
        if (await BeforeDeleteAsync(scope, entity) is { } refused)
            return Results.Json(new { detail = refused }, ApiJson.Options, statusCode: StatusCodes.Status400BadRequest);
        Registry(scope).Get(Model!).Remove(scope.Db, entity);
        Audit(scope, entity, "model_deleted");
        await scope.Db.SaveChangesAsync(scope.Ct);
        return Results.NoContent();
    }

    /// <summary>A delete command's outcome as DRF answers it: 204, 404 when there was nothing to delete, 400 with the reason it was refused.</summary>
    protected static IResult Deleted(bool found, string? refused = null) =>
        !found ? ApiResult<object>.NotFound().ToHttp()
        : refused is not null ? Results.Json(new { detail = refused }, ApiJson.Options, statusCode: StatusCodes.Status400BadRequest)
        : Results.NoContent();

    /// <summary>The objects to change: tracked, with the same navigations loaded as for the JSON.</summary>
    protected virtual IQueryable<T> Tracked(ApiScope scope) => Source(scope.Db);

    private async Task<FieldErrors> WriteAsync(ApiScope scope, IBlueprintModel model, T entity, JsonObject body, bool creating, bool partial)
    {
        var errors = new FieldErrors();
        var sp = scope.Services;
        var ctx = new WriteContext(scope.Db, sp.GetRequiredService<IPasswordHasher<User>>(), sp.GetRequiredService<ILookupNormalizer>(), scope.Ct,
            sp.GetService<PythonExpressions>(), sp.GetService<UserManager<User>>());
        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in Writable)
        {
            if (!body.TryGetPropertyValue(name, out var node)) continue;
            given.Add(name);
            try
            {
                await model.WriteAsync(entity, name, JsonInput.ToValue(node), ctx);
            }
            catch (BlueprintException e)
            {
                errors.Add(e.Field ?? name, Sentence(e.Message));
            }
        }
        if (errors.Any) return errors;
        try
        {
            // A full update must carry every required field, as DRF's PUT does.
            model.Check(entity, creating || !partial, given);
        }
        catch (BlueprintException e)
        {
            errors.Add(e.Field ?? "non_field_errors", e.Message.StartsWith("is required", StringComparison.Ordinal) ? "This field is required." : Sentence(e.Message));
        }
        if (errors.Any) return errors;
        await CheckAsync(scope, entity, creating, errors);
        if (!errors.Any) await AfterWriteAsync(scope, entity, body, creating);
        return errors;
    }

    private async Task<IResult> SaveAsync(ApiScope scope, T entity, string action, int status)
    {
        var recorded = Audit(scope, entity, action);
        var pkBefore = PkOf(entity).ToString();
        try
        {
            await scope.Db.SaveChangesAsync(scope.Ct);
            // A pk the database assigns (a user's number) is known only after the save: the event then names it.
            if (PkOf(entity).ToString() != pkBefore)
            {
                recorded.Context = AuditContext(entity);
                await scope.Db.SaveChangesAsync(scope.Ct);
            }
        }
        catch (DbUpdateException)
        {
            // A unique value taken by a request that saved in the meantime (CheckAsync saw it free).
            var errors = new FieldErrors();
            errors.Add("non_field_errors", "Another object with the same unique values was saved at the same time; nothing was changed.");
            return ApiResult<object>.Invalid(errors).ToHttp();
        }
        var saved = await Source(scope.Db).AsNoTrackingWithIdentityResolution().FirstAsync(ByPk(entity), scope.Ct);
        return await OneAsync(scope, saved, status);
    }

    private Expression<Func<T, bool>> ByPk(T entity) => ByKey(KeyOf(entity));

    /// <summary>The key the object's URL uses (its pk unless the path is by slug).</summary>
    protected virtual string KeyOf(T entity) => PkOf(entity).ToString()!;

    private Event Audit(ApiScope scope, T entity, string action) =>
        scope.Services.GetRequiredService<AuditTrail>().Record(action, AuditContext(entity));

    private System.Text.Json.Nodes.JsonObject AuditContext(T entity)
    {
        var (app, name) = EventModel;
        return AuditTrail.Model(app, Describe(entity), PkOf(entity), name);
    }

    private static ModelRegistry Registry(ApiScope scope) => scope.Services.GetRequiredService<ModelRegistry>();

    /// <summary>A blueprint message ("may not be empty.") as DRF's sentence ("May not be empty.").</summary>
    private static string Sentence(string message) => message.Length == 0 ? message : char.ToUpperInvariant(message[0]) + message[1..];
}
