using System.Net;
using Enrollment.Tests.Features.Api.Invitations;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Api.Brands;

/// <summary><c>/api/v3/core/brands/</c>: CRUD by brand_uuid over the brand fields Enrollment has.</summary>
public sealed class BrandsApiTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private const string List = "/api/v3/core/brands/";

    [Fact]
    public async Task Lists_the_default_brand()
    {
        using var client = app.ApiClient();
        var page = await client.GetJsonAsync($"{List}?default=true");
        var brand = page.Results().Single()!;
        Assert.Equal(["brand_uuid", "domain", "default", "branding_title", "branding_logo", "branding_favicon", "branding_custom_css",
            "branding_default_flow_background", "default_locale", "attributes"], brand.Keys());
        Assert.True((bool)brand["default"]!);
    }

    [Fact]
    public async Task Creates_changes_and_deletes_a_brand_with_events()
    {
        var domain = ApiJsonClient.Unique("d-") + ".example.com";
        using var client = app.ApiClient();

        var created = await client.SendJsonAsync(HttpMethod.Post, List, $$"""{"domain":"{{domain}}","branding_title":"Partners","branding_logo":"/logo.svg"}""", HttpStatusCode.Created);
        var uuid = (string)created["brand_uuid"]!;
        Assert.False((bool)created["default"]!);
        Assert.Equal("Partners", (string?)(await client.GetJsonAsync($"{List}{uuid}/"))["branding_title"]);
        Assert.Equal([domain], (await client.GetJsonAsync($"{List}?domain={domain}")).Strings("domain"));

        var patched = await client.SendJsonAsync(HttpMethod.Patch, $"{List}{uuid}/", """{"branding_title":"Partner portal"}""", HttpStatusCode.OK);
        Assert.Equal("Partner portal", (string?)patched["branding_title"]);
        var put = await client.SendJsonAsync(HttpMethod.Put, $"{List}{uuid}/", $$"""{"domain":"{{domain}}.org","branding_title":"Put"}""", HttpStatusCode.OK);
        Assert.Equal(domain + ".org", (string?)put["domain"]);

        var (status, _) = await client.SendJsonAsync(HttpMethod.Delete, $"{List}{uuid}/", null);
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.False(await app.DbAsync(db => db.Brands.AnyAsync(b => b.Id == Guid.Parse(uuid))));
        foreach (var action in new[] { "model_created", "model_updated", "model_deleted" })
            Assert.True(await app.DbAsync(async db => (await db.Events.AsNoTracking().Where(e => e.Action == action).ToListAsync())
                .Any(e => (string?)e.Context["model"]?["pk"] == uuid)), action);
        await client.GetJsonAsync($"{List}{uuid}/", HttpStatusCode.NotFound);
        await client.SendJsonAsync(HttpMethod.Patch, $"{List}{uuid}/", "{}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_input_is_a_400_per_field_and_writes_nothing()
    {
        using var client = app.ApiClient();
        var before = await app.DbAsync(db => db.Brands.CountAsync());

        Assert.Equal("""{"domain":["This field is required."]}""", (await client.SendJsonAsync(HttpMethod.Post, List, "{}", HttpStatusCode.BadRequest)).ToJsonString());
        var second = await client.SendJsonAsync(HttpMethod.Post, List, """{"domain":"two.example.com","default":true}""", HttpStatusCode.BadRequest);
        Assert.Equal("""{"default":["Only a single brand can be set as default."]}""", second.ToJsonString());
        var bad = await client.SendJsonAsync(HttpMethod.Post, List, """{"domain":"","branding_title":"","default":"maybe"}""", HttpStatusCode.BadRequest);
        Assert.Equal(["branding_title", "default", "domain"], bad.Keys().Order().ToList());
        Assert.Equal(before, await app.DbAsync(db => db.Brands.CountAsync()));
    }
}
