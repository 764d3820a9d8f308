using System.Linq.Expressions;
using System.Text.Json.Nodes;
using Enrollment.Features.Api.Shared;
using Enrollment.Features.Brand;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Brands;

/// <summary>
/// <c>/api/v3/core/brands/</c> by <c>brand_uuid</c>: <c>domain</c>, <c>default</c>, the <c>branding_*</c> fields,
/// <c>attributes</c> and <c>default_locale</c>. One brand at most is the default, as authentik's rule; the default brand
/// is the one pages show.
/// </summary>
public sealed class BrandsResource : ApiResource<Domain.Brand>
{
    public override string Path => "/core/brands/";

    protected override string? Model => BrandBlueprint.Name;

    protected override IReadOnlyList<string> Writable =>
    [
        "domain", "default", "branding_title", "branding_logo", "branding_favicon", "branding_custom_css",
        "branding_default_flow_background", "default_locale", "attributes",
    ];

    protected override IQueryable<Domain.Brand> Source(AppDbContext db) => db.Brands;

    protected override Expression<Func<Domain.Brand, bool>> ByKey(string key) =>
        Guid.TryParse(key, out var id) ? b => b.Id == id : b => false;

    protected override Ordering<Domain.Brand> Ordering { get; } = new Ordering<Domain.Brand>("domain")
        .Field("domain", b => b.Domain).Field("default", b => b.Default).Field("branding_title", b => b.BrandingTitle);

    protected override Expression<Func<Domain.Brand, object>> Tiebreak => b => b.Id;

    private static readonly FilterSet<Domain.Brand> Filters = new FilterSet<Domain.Brand>()
        .Uuid("brand_uuid", b => b.Id).Text("domain", b => b.Domain).Flag("default", b => b.Default).Text("branding_title", b => b.BrandingTitle)
        .Search(b => b.Domain, b => b.BrandingTitle);

    protected override IQueryable<Domain.Brand> Filter(IQueryable<Domain.Brand> items, ApiScope scope, FieldErrors errors) => Filters.Apply(items, scope.Query, errors);

    protected override Task<IReadOnlyList<object>> ToJsonAsync(ApiScope scope, IReadOnlyList<Domain.Brand> items) =>
        Task.FromResult<IReadOnlyList<object>>(items.Select(b => (object)BrandJson.Of(b)).ToList());

    protected override async Task CheckAsync(ApiScope scope, Domain.Brand entity, bool creating, FieldErrors errors)
    {
        if (entity.Default && await scope.Db.Brands.AnyAsync(b => b.Default && b.Id != entity.Id, scope.Ct))
            errors.Add("default", "Only a single brand can be set as default.");
    }

    protected override Task AfterWriteAsync(ApiScope scope, Domain.Brand entity, JsonObject body, bool creating)
    {
        // Pages read the brand again within BrandTitle.Lifetime anyway; forgetting it now makes the change show sooner.
        scope.Services.GetRequiredService<BrandTitle>().Forget();
        return Task.CompletedTask;
    }

    protected override (string App, string ModelName) EventModel => ("authentik_brands", "brand");

    protected override string Describe(Domain.Brand entity) => entity.Domain;

    protected override object PkOf(Domain.Brand entity) => entity.Id;
}
