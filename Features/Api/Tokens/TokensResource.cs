using System.Linq.Expressions;
using System.Text;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Features.Api.Shared;
using Enrollment.Features.Api.Users;
using Enrollment.Features.Tokens;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Tokens;

/// <summary>
/// <c>/api/v3/core/tokens/</c> by identifier, with <c>view_key/</c>. A token made here gets a random key, shown by
/// the first <c>view_key</c> only (see <see cref="TokenKeys"/>); afterwards <c>view_key</c> answers 410. Without
/// <c>user</c> the token is the caller's; an expiring token without <c>expires</c> expires in 30 minutes, as authentik's.
/// </summary>
public sealed class TokensResource : ApiResource<Token>
{
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromMinutes(30);

    public override string Path => "/core/tokens/";

    protected override string KeyRoute => "{key}";

    protected override string? Model => TokenBlueprint.Name;

    protected override IReadOnlyList<string> Writable => ["identifier", "intent", "user", "description", "expires", "expiring"];

    protected override IQueryable<Token> Source(AppDbContext db) => db.Tokens.Include(t => t.User).ThenInclude(u => u.Groups);

    protected override Expression<Func<Token, bool>> ByKey(string key) => t => t.Identifier == key;

    protected override string KeyOf(Token entity) => entity.Identifier;

    protected override Ordering<Token> Ordering { get; } = new Ordering<Token>("identifier")
        .Field("identifier", t => t.Identifier).Field("expires", t => t.Expires).Field("intent", t => t.Intent).Field("description", t => t.Description);

    protected override Expression<Func<Token, object>> Tiebreak => t => t.Id;

    private static readonly FilterSet<Token> Filters = new FilterSet<Token>()
        .Text("identifier", t => t.Identifier).Text("description", t => t.Description).Choice("intent", t => t.Intent)
        .Flag("expiring", t => t.Expiring).Text("user__username", t => t.User.UserName!)
        .Search(t => t.Identifier, t => t.Description, t => t.User.UserName!);

    protected override IQueryable<Token> Filter(IQueryable<Token> items, ApiScope scope, FieldErrors errors) => Filters.Apply(items, scope.Query, errors);

    protected override async Task<IReadOnlyList<object>> ToJsonAsync(ApiScope scope, IReadOnlyList<Token> items)
    {
        var superuser = await SuperuserGroups.LoadAsync(scope.Db, scope.Ct);
        return items.Select(t => (object)new TokenJson(t.Id, null, t.Identifier, t.Intent, t.UserId, UserJson.Of(t.User, superuser),
            t.Description, t.Expires, t.Expiring)).ToList();
    }

    protected override async Task CheckAsync(ApiScope scope, Token entity, bool creating, FieldErrors errors)
    {
        if (await scope.Db.Tokens.AnyAsync(t => t.Identifier == entity.Identifier && t.Id != entity.Id, scope.Ct))
            errors.Add("identifier", "Token with this identifier already exists.");
        if (entity.Expiring && entity.Expires is null)
            entity.Expires = scope.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime + DefaultDuration;
    }

    protected override Task AfterWriteAsync(ApiScope scope, Token entity, JsonObject body, bool creating)
    {
        if (creating)
        {
            var key = TokenKeys.NewKey();
            entity.KeyHash = ApiTokenAuthenticationHandler.Digest(key);
            entity.PendingKey = scope.Services.GetRequiredService<TokenKeys>().Protect(key);
        }
        return Task.CompletedTask;
    }

    protected override (string App, string ModelName) EventModel => ("authentik_core", "token");

    protected override string Describe(Token entity) => entity.Identifier;

    protected override object PkOf(Token entity) => entity.Id;

    public override void Map(RouteGroupBuilder api)
    {
        // A token without "user" is the caller's: the body gets the caller's pk before the model's checks see it.
        var tokens = api.MapGroup("").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (HttpMethods.IsPost(http.Request.Method) && http.Request.Path.Value?.TrimEnd('/').EndsWith("/core/tokens", StringComparison.Ordinal) == true)
            {
                var (body, error) = await ApiBody.ReadObjectAsync(http.Request, http.RequestAborted);
                if (error is not null) return error;
                if (!body!.ContainsKey("user") && http.User.UserId() is { } me) body["user"] = me;
                http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body.ToJsonString()));
                http.Request.ContentType = "application/json";
            }
            return await next(context);
        });
        base.Map(tokens);
        tokens.MapGet(Path + "{key}/view_key/", ViewKeyAsync).WithName(OperationId("view_key_retrieve"));
    }

    /// <summary>
    /// authentik's <c>view_key</c>, once: the first call returns the key and erases its protected copy in the same
    /// statement (two callers cannot both get it); later calls, and tokens whose key was shown at creation, are 410.
    /// An unknown or expired token is authentik's 404 without a body.
    /// </summary>
    private static async Task<IResult> ViewKeyAsync(string key, HttpContext http, AppDbContext db, TokenKeys keys, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var token = await db.Tokens.AsNoTracking().Where(t => t.Identifier == key)
            .Select(t => new { t.Id, t.Identifier, t.Expiring, t.Expires, t.PendingKey }).FirstOrDefaultAsync(ct);
        if (token is null || (token.Expiring && token.Expires <= now)) return BodilessNotFound.For(http);
        http.Response.Headers.CacheControl = "no-store";
        var shown = token.PendingKey is { } pending ? keys.Unprotect(pending) : null;
        if (token.PendingKey is not null && await ClaimAsync(db, audit, token.Id, token.Identifier, token.PendingKey, ct) && shown is not null)
            return Results.Json(new { key = shown }, ApiJson.Options);
        var detail = token.PendingKey is not null && shown is null
            ? $"The key of token “{token.Identifier}” was not viewed within {TokenKeys.Lifetime.TotalMinutes:0} minutes of its creation and can no longer be shown. Delete the token and create a new one."
            : $"The key of token “{token.Identifier}” is shown only once, and it was shown already; Enrollment keeps only a digest of it. Delete the token and create a new one.";
        return Results.Json(new { detail }, ApiJson.Options, statusCode: StatusCodes.Status410Gone);
    }

    /// <summary>Erases the protected key if it is still <paramref name="pending"/>; true for the one caller that did.</summary>
    private static async Task<bool> ClaimAsync(AppDbContext db, AuditTrail audit, Guid id, string identifier, string pending, CancellationToken ct) =>
        await db.RetryingAsync(async _ =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var claimed = await db.Tokens.Where(t => t.Id == id && t.PendingKey == pending).ExecuteUpdateAsync(s => s.SetProperty(t => t.PendingKey, (string?)null), ct) == 1;
            if (!claimed) return false;
            audit.Record("secret_view", new JsonObject { ["secret"] = AuditTrail.Model("authentik_core", identifier, id, "token")["model"]!.DeepClone() });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return true;
        }, ct);
}
