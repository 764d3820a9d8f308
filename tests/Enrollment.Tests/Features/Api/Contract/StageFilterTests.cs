using System.Net;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Api.Contract;

/// <summary>Each stage kind's own list filters, as authentik's schema lists them.</summary>
public sealed class StageFilterTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task Each_kind_filters_on_its_own_fields_and_refuses_bad_values()
    {
        using var c = app.ApiClient();
        var p = ApiJsonClient.Unique("kf");
        var inner = await c.Post("/api/v3/stages/user_write/", $$"""{"name":"{{p}}-in","user_type":"internal"}""");
        await c.Post("/api/v3/stages/user_write/", $$"""{"name":"{{p}}-ex","user_type":"external","create_users_as_inactive":true}""");
        Assert.Equal([inner.Pk()], (await c.GetJsonAsync($"/api/v3/stages/user_write/?search={p}&user_type=internal")).Strings("pk"));
        Assert.Equal([$"{p}-ex"], (await c.GetJsonAsync($"/api/v3/stages/user_write/?search={p}&create_users_as_inactive=true")).Strings("name"));
        Assert.NotNull((await c.GetJsonAsync("/api/v3/stages/user_write/?user_type=robot", HttpStatusCode.BadRequest))["user_type"]);

        await c.Post("/api/v3/stages/email/", $$"""{"name":"{{p}}-mail","port":2525}""");
        Assert.Equal([$"{p}-mail"], (await c.GetJsonAsync($"/api/v3/stages/email/?search={p}&port=2525")).Strings("name"));
        Assert.Empty((await c.GetJsonAsync($"/api/v3/stages/email/?search={p}&port=25")).Results());
        Assert.NotNull((await c.GetJsonAsync("/api/v3/stages/email/?port=many", HttpStatusCode.BadRequest))["port"]);

        var prompt = await c.Post("/api/v3/stages/prompt/prompts/", $$"""{"name":"{{p}}-f","field_key":"f","type":"text"}""");
        await c.Post("/api/v3/stages/prompt/stages/", $$"""{"name":"{{p}}-with","fields":["{{prompt.Pk()}}"]}""");
        await c.Post("/api/v3/stages/prompt/stages/", $$"""{"name":"{{p}}-without","fields":[]}""");
        Assert.Equal([$"{p}-with"], (await c.GetJsonAsync($"/api/v3/stages/prompt/stages/?fields={prompt.Pk()}")).Strings("name"));

        var bound = await c.Post("/api/v3/stages/invitation/stages/", $$"""{"name":"{{p}}-bound"}""");
        await c.Post("/api/v3/stages/invitation/stages/", $$"""{"name":"{{p}}-free"}""");
        var flow = await c.Post("/api/v3/flows/instances/", $$"""{"name":"f","slug":"{{p}}","title":"t","designation":"enrollment"}""");
        await c.Post("/api/v3/flows/bindings/", $$"""{"target":"{{flow.Pk()}}","stage":"{{bound.Pk()}}","order":0}""");
        Assert.Equal([$"{p}-free"], (await c.GetJsonAsync($"/api/v3/stages/invitation/stages/?search={p}&no_flows=true")).Strings("name"));
        Assert.Equal([$"{p}-bound"], (await c.GetJsonAsync($"/api/v3/stages/invitation/stages/?search={p}&no_flows=false")).Strings("name"));

        await c.Post("/api/v3/stages/deny/", $$"""{"name":"{{p}}-deny","deny_message":"{{p}} no"}""");
        Assert.Equal([$"{p}-deny"], (await c.GetJsonAsync($"/api/v3/stages/deny/?deny_message={p}%20no")).Strings("name"));
        // Another kind's filter is not this kind's: ignored, as django-filter ignores unknown parameters.
        Assert.Equal([$"{p}-deny"], (await c.GetJsonAsync($"/api/v3/stages/deny/?search={p}&user_type=robot")).Strings("name"));
    }
}
