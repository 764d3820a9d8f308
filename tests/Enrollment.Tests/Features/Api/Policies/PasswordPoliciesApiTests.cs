using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Features.Api.Invitations;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Api.Policies;

/// <summary>
/// <c>/api/v3/policies/password/</c> (every answer checked against authentik's schema by the API client): list, create
/// with authentik's defaults, retrieve, update, patch, delete; bad values are a 400 naming the field, with nothing
/// written. And the default policy on <c>set_password</c>.
/// </summary>
public sealed class PasswordPoliciesApiTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private const string List = "/api/v3/policies/password/";

    [Fact]
    public async Task Creates_with_authentiks_defaults_then_retrieves_updates_patches_lists_and_deletes()
    {
        using var client = app.ApiClient();
        var name = ApiJsonClient.Unique("api-pw-");

        var created = await client.SendJsonAsync(HttpMethod.Post, List, $$"""{"name":"{{name}}"}""", HttpStatusCode.Created);
        var pk = Guid.Parse((string)created["pk"]!);
        Assert.Equal(("password", true, 0, false, 2, false, 0, PasswordPolicy.DefaultSymbolCharset, ""),
            ((string?)created["password_field"], (bool)created["check_static_rules"]!, (int)created["length_min"]!, (bool)created["check_zxcvbn"]!,
             (int)created["zxcvbn_score_threshold"]!, (bool)created["check_have_i_been_pwned"]!, (int)created["hibp_allowed_count"]!,
             (string?)created["symbol_charset"], (string?)created["error_message"]));
        Assert.Equal(("ak-policy-password-form", "Password Policy", "authentik_policies_password.passwordpolicy", 0),
            ((string?)created["component"], (string?)created["verbose_name"], (string?)created["meta_model_name"], (int)created["bound_to"]!));

        var updated = await client.SendJsonAsync(HttpMethod.Put, $"{List}{pk}/",
            $$"""{"name":"{{name}}","password_field":"new_password","length_min":12,"amount_digits":1,"amount_uppercase":1,"amount_lowercase":1,"amount_symbols":1,"symbol_charset":"!?","error_message":"Not good enough.","check_static_rules":true,"check_zxcvbn":true,"zxcvbn_score_threshold":3,"check_have_i_been_pwned":true,"hibp_allowed_count":5,"execution_logging":true}""", HttpStatusCode.OK);
        Assert.Equal(("new_password", 12, "!?", 3, 5, true), ((string?)updated["password_field"], (int)updated["length_min"]!, (string?)updated["symbol_charset"],
            (int)updated["zxcvbn_score_threshold"]!, (int)updated["hibp_allowed_count"]!, (bool)updated["execution_logging"]!));
        var patched = await client.SendJsonAsync(HttpMethod.Patch, $"{List}{pk}/", """{"length_min":14}""", HttpStatusCode.OK);
        Assert.Equal((14, 1), ((int)patched["length_min"]!, (int)patched["amount_digits"]!));
        Assert.Equal(14, (int)(await client.GetJsonAsync($"{List}{pk}/"))["length_min"]!);

        Assert.Equal([pk.ToString()], (await client.GetJsonAsync($"{List}?search={name}")).Strings("pk"));
        Assert.Equal([pk.ToString()], (await client.GetJsonAsync($"{List}?name={name}&check_zxcvbn=true&length_min=14")).Strings("pk"));
        Assert.Empty((await client.GetJsonAsync($"{List}?name={name}&check_zxcvbn=false")).Results());
        var events = await app.DbAsync(db => db.Events.AsNoTracking().Where(e => e.Action.StartsWith("model_")).ToListAsync());
        Assert.Contains(events, e => (string?)e.Context["model"]?["pk"] == pk.ToString() && (string?)e.Context["model"]?["app"] == "authentik_policies_password");

        // The expression endpoint does not see it, and it does not delete an expression policy.
        await client.GetJsonAsync($"/api/v3/policies/expression/{pk}/", HttpStatusCode.NotFound);
        var expression = await client.SendJsonAsync(HttpMethod.Post, "/api/v3/policies/expression/", $$"""{"name":"{{name}}-expr","expression":"return True"}""", HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"{List}{expression["pk"]}/")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"{List}{pk}/")).StatusCode);
        Assert.False(await app.DbAsync(db => db.Policies.AnyAsync(p => p.Id == pk)));
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"{List}{pk}/")).StatusCode);
    }

    [Fact]
    public async Task Bad_values_are_a_400_naming_each_field_and_write_nothing()
    {
        using var client = app.ApiClient();
        var before = await app.DbAsync(db => db.Policies.CountAsync());

        Assert.Equal("""{"name":["This field is required."]}""", (await client.SendJsonAsync(HttpMethod.Post, List, "{}", HttpStatusCode.BadRequest)).ToJsonString());
        var bad = await client.SendJsonAsync(HttpMethod.Post, List,
            """{"name":"api-pw-bad","length_min":-1,"amount_symbols":-2,"zxcvbn_score_threshold":4,"hibp_allowed_count":-1,"password_field":"","symbol_charset":""}""", HttpStatusCode.BadRequest);
        Assert.Equal(["amount_symbols", "hibp_allowed_count", "length_min", "password_field", "symbol_charset", "zxcvbn_score_threshold"], bad.Keys().Order().ToList());
        Assert.Equal("Must be between 0 and 3.", (string?)bad["zxcvbn_score_threshold"]![0]);
        Assert.Equal("Must be at least 0.", (string?)bad["length_min"]![0]);

        var taken = ApiJsonClient.Unique("api-pw-taken-");
        await client.SendJsonAsync(HttpMethod.Post, List, $$"""{"name":"{{taken}}"}""", HttpStatusCode.Created);
        Assert.Equal("""{"name":["policy with this name already exists."]}""", // DRF's unique validator, lower case as in authentik
            (await client.SendJsonAsync(HttpMethod.Post, List, $$"""{"name":"{{taken}}"}""", HttpStatusCode.BadRequest)).ToJsonString());
        Assert.Equal(before + 1, await app.DbAsync(db => db.Policies.CountAsync()));
    }

    [Fact]
    public async Task Set_password_applies_the_default_policy_without_composition_rules()
    {
        var user = await app.AddUserAsync(ApiJsonClient.Unique("api-pw-user-"));
        using var client = app.ApiClient();
        var path = $"/api/v3/core/users/{user.Id}/set_password/";

        var weak = await client.SendJsonAsync(HttpMethod.Post, path, """{"password":"Password1!"}""", HttpStatusCode.BadRequest);
        var message = (string?)weak["password"]![0];
        Assert.StartsWith("Is refused by the password rules: This password is too easy to guess.", message);
        Assert.DoesNotContain("Passwords must", message);
        Assert.StartsWith("Is refused by the password rules: Use at least 8 characters.",
            (string?)(await client.SendJsonAsync(HttpMethod.Post, path, """{"password":"Xq7#kL"}""", HttpStatusCode.BadRequest))["password"]![0]);
        // No digit, no uppercase letter, no symbol: fine, it is long and hard to guess.
        var ok = await client.PostAsync(path, new StringContent("""{"password":"correct horse battery staple"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
    }
}
