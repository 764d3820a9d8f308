using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;

using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Infrastructure.Web;

/// <summary>
/// Bad bytes get a 4xx with a short message, never a 500 and never a half-written enrollment: on the flow page, the
/// sign-in page and the admin forms alike (one guard reads every page's form before the page does).
/// </summary>
public sealed class FormGuardTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private const string Password = "Guard-Tulip-Glacier-58!";

    [Fact]
    public async Task Ten_thousand_fields_on_the_flow_page_are_413_with_a_message()
    {
        var (client, link, page) = await OpenFlowAsync();
        var fields = Answers("many-fields", page).Concat(Enumerable.Range(0, 10_000).Select(i => new KeyValuePair<string, string>($"f{i}", "x")));
        var response = await client.Http.PostAsync(link, new FormUrlEncodedContent(fields));
        await AssertRefusedAsync(response, HttpStatusCode.RequestEntityTooLarge, "more than 1,024 fields");
        Assert.Null(await UserAsync("many-fields"));
    }

    [Fact]
    public async Task A_form_over_1_MB_on_the_flow_page_is_413_and_nothing_is_stored()
    {
        var (client, link, page) = await OpenFlowAsync();
        var name = new string('n', 2_097_152);
        var response = await client.Http.PostAsync(link, new FormUrlEncodedContent(Answers("huge-name", page, name)));
        await AssertRefusedAsync(response, HttpStatusCode.RequestEntityTooLarge, "larger than 1 MB");
        Assert.Null(await UserAsync("huge-name"));
        Assert.True(await LargestEventAsync() < 64 * 1024);
    }

    [Theory]
    [InlineData("text/plain", "username=plain")]
    [InlineData("application/json", "{\"username\":\"json\"}")]
    [InlineData("application/xml", "<username>xml</username>")]
    public async Task A_body_that_is_no_form_is_415_on_the_flow_page_even_with_the_antiforgery_header(string contentType, string body)
    {
        var (client, link, page) = await OpenFlowAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, link) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Headers.Add("RequestVerificationToken", TestClient.AntiforgeryToken(page));
        await AssertRefusedAsync(await client.Http.SendAsync(request), HttpStatusCode.UnsupportedMediaType, "accepts only forms");
    }

    [Fact]
    public async Task Invalid_utf8_in_a_url_encoded_value_is_400_not_stored_with_replacement_characters()
    {
        var (client, link, page) = await OpenFlowAsync();
        var form = string.Join("&", Answers("latin1", page).Select(f => $"{Uri.EscapeDataString(f.Key)}={(f.Key == "name" ? "Jos%E9" : Uri.EscapeDataString(f.Value))}"));
        var response = await client.Http.PostAsync(link, new StringContent(form, Encoding.ASCII, "application/x-www-form-urlencoded"));
        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "not valid UTF-8");
        Assert.Null(await UserAsync("latin1"));
    }

    [Fact]
    public async Task Invalid_utf8_in_a_multipart_value_is_400_and_a_real_replacement_character_is_kept()
    {
        var (client, link, page) = await OpenFlowAsync();
        var response = await client.Http.PostAsync(link, Multipart(Answers("latin1-multipart", page), "name", [0x4A, 0x6F, 0x73, 0xE9]));
        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "not valid UTF-8");
        Assert.Null(await UserAsync("latin1-multipart"));

        // U+FFFD typed on purpose is valid UTF-8 (EF BF BD): accepted like any other character.
        (client, link, page) = await OpenFlowAsync();
        var accepted = await client.Http.PostAsync(link, Multipart(Answers("real-fffd", page), "name", Encoding.UTF8.GetBytes("Jos\uFFFD")));
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal("Jos\uFFFD", (await UserAsync("real-fffd"))!.Name);
    }

    [Theory]
    [InlineData(new byte[] { 0xFE, 0xFF, 0x4A, 0x6F, 0x73, 0xE9 })] // a UTF-16 (big-endian) byte order mark, then bytes that are no UTF-8
    [InlineData(new byte[] { 0xFF, 0xFE, 0x4A, 0x6F, 0x73, 0xE9 })] // little-endian
    public async Task A_multipart_value_starting_with_a_utf16_byte_order_mark_is_400_not_read_as_utf16(byte[] raw)
    {
        var username = $"bom-{raw[0]:x2}";
        var (client, link, page) = await OpenFlowAsync();
        var response = await client.Http.PostAsync(link, Multipart(Answers(username, page), "name", raw));
        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "not valid UTF-8");
        Assert.Null(await UserAsync(username));
    }

    [Fact]
    public async Task A_nul_character_in_a_value_is_400()
    {
        var (client, link, page) = await OpenFlowAsync();
        var response = await client.Http.PostAsync(link, new FormUrlEncodedContent(Answers("nul-name", page, "Jo\0hn")));
        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "no field accepts");
        Assert.Null(await UserAsync("nul-name"));

        (client, link, page) = await OpenFlowAsync();
        var multipart = await client.Http.PostAsync(link, Multipart(Answers("nul-multipart", page), "name", [0x4A, 0x00, 0x6E]));
        await AssertRefusedAsync(multipart, HttpStatusCode.BadRequest, "no field accepts");
        Assert.Null(await UserAsync("nul-multipart"));
    }

    [Fact]
    public async Task The_sign_in_page_refuses_bad_bytes_with_4xx_too()
    {
        using var client = app.NewClient();
        var page = await client.GetPageAsync("/if/login/");
        var token = TestClient.AntiforgeryToken(page);
        var many = Enumerable.Range(0, 10_000).Select(i => new KeyValuePair<string, string>($"f{i}", "x")).Append(new("__RequestVerificationToken", token));
        await AssertRefusedAsync(await client.Http.PostAsync("/if/login/", new FormUrlEncodedContent(many)), HttpStatusCode.RequestEntityTooLarge, "fields");
        var json = new HttpRequestMessage(HttpMethod.Post, "/if/login/") { Content = new StringContent("{\"Input.Username\":\"akadmin\"}", Encoding.UTF8, "application/json") };
        json.Headers.Add("RequestVerificationToken", token);
        await AssertRefusedAsync(await client.Http.SendAsync(json), HttpStatusCode.UnsupportedMediaType, "accepts only forms");
        var latin1 = new StringContent($"Input.Username=Jos%E9&Input.Password=x&__RequestVerificationToken={Uri.EscapeDataString(token)}", Encoding.ASCII, "application/x-www-form-urlencoded");
        await AssertRefusedAsync(await client.Http.PostAsync("/if/login/", latin1), HttpStatusCode.BadRequest, "not valid UTF-8");
    }

    [Fact]
    public async Task The_sign_in_page_refuses_a_username_over_150_characters_before_looking_it_up()
    {
        using var client = app.NewClient();
        var before = await app.DbAsync(db => db.Events.CountAsync());
        var response = await client.PostFormAsync("/if/login/", ("Input.Username", new string('u', 151)), ("Input.Password", "whatever-1"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Usernames and email addresses have at most 150 characters.", TestClient.Errors(await TestClient.ParseAsync(response)));
        Assert.Equal(before, await app.DbAsync(db => db.Events.CountAsync())); // no login_failed event carrying the input
    }

    [Fact]
    public async Task An_admin_form_refuses_bad_bytes_with_4xx_and_creates_nothing()
    {
        using var admin = await app.AdminClientAsync();
        var page = await admin.GetPageAsync("/if/admin/groups/new/");
        var token = TestClient.AntiforgeryToken(page, "/if/admin/groups/new/", "/if/admin/groups/new/");
        var json = new HttpRequestMessage(HttpMethod.Post, "/if/admin/groups/new/") { Content = new StringContent("{\"Input.Name\":\"json-group\"}", Encoding.UTF8, "application/json") };
        json.Headers.Add("RequestVerificationToken", token);
        await AssertRefusedAsync(await admin.Http.SendAsync(json), HttpStatusCode.UnsupportedMediaType, "accepts only forms");
        var many = Enumerable.Range(0, 10_000).Select(i => new KeyValuePair<string, string>($"f{i}", "x"))
            .Append(new("Input.Name", "many-group")).Append(new("__RequestVerificationToken", token));
        await AssertRefusedAsync(await admin.Http.PostAsync("/if/admin/groups/new/", new FormUrlEncodedContent(many)), HttpStatusCode.RequestEntityTooLarge, "fields");
        var big = new FormUrlEncodedContent([new("Input.Name", new string('g', 1_100_000)), new("__RequestVerificationToken", token)]);
        await AssertRefusedAsync(await admin.Http.PostAsync("/if/admin/groups/new/", big), HttpStatusCode.RequestEntityTooLarge, "larger than 1 MB");
        Assert.False(await app.DbAsync(db => db.Groups.AnyAsync(g => g.Name == "json-group" || g.Name == "many-group")));
    }

    [Fact]
    public async Task A_query_string_over_8_KB_is_414()
    {
        using var client = app.NewClient();
        var response = await client.Http.GetAsync("/if/flow/invitation-enrollment/?itoken=" + new string('q', 9000));
        await AssertRefusedAsync(response, HttpStatusCode.RequestUriTooLong, "longer than 8 KB");
    }

    [Theory]
    [InlineData("&utm=%00", "a NUL character")]
    [InlineData("&utm=a%00b", "a NUL character")]
    [InlineData("&x%00=1", "a NUL character")]
    [InlineData("&utm=Jos%E9", "not valid UTF-8")]
    [InlineData("&utm=%ED%A0%80", "not valid UTF-8")]
    public async Task A_nul_character_or_invalid_utf8_in_the_query_string_is_400_and_no_plan_keeps_it(string extra, string message)
    {
        var (client, link, _) = await OpenFlowAsync();
        var plans = await app.DbAsync(db => db.FlowPlans.CountAsync());
        using var fresh = app.NewClient();
        await AssertRefusedAsync(await fresh.Http.GetAsync(link + extra), HttpStatusCode.BadRequest, message);
        Assert.Equal(plans, await app.DbAsync(db => db.FlowPlans.CountAsync()));
        // The same browser's form posted to such an address is refused before anything reads it.
        var page = await client.GetPageAsync(link);
        await AssertRefusedAsync(await client.Http.PostAsync(link + extra, new FormUrlEncodedContent(Answers("query-nul", page))), HttpStatusCode.BadRequest, message);
        Assert.Null(await UserAsync("query-nul"));
    }

    [Fact]
    public async Task A_query_string_of_valid_utf8_escapes_is_accepted()
    {
        using var client = app.NewClient();
        var (_, link, _) = await OpenFlowAsync();
        var response = await client.Http.GetAsync(link + "&utm=%E2%9C%93%F0%9F%98%80&empty=&plus=a+b");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_bare_post_without_a_body_is_400_not_500()
    {
        var (client, link, _) = await OpenFlowAsync();
        var response = await client.Http.PostAsync(link, null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>The friendly error page, with the guard's message and the status.</summary>
    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {TestClient.Excerpt(body)}");
        Assert.Contains(message, body);
        Assert.Contains("<html", body, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A multi-use invitation to the default flow, opened by a new browser: its prompt stage is showing.</summary>
    private async Task<(TestClient Client, string Link, IHtmlDocument Page)> OpenFlowAsync()
    {
        var invitation = await app.DbAsync(async db =>
        {
            var flow = await db.Flows.SingleAsync(f => f.Slug == "invitation-enrollment");
            var i = new Invitation { Name = $"guard-{Guid.NewGuid():N}", FlowId = flow.Id };
            db.Invitations.Add(i);
            await db.SaveChangesAsync();
            return i.Id;
        });
        var client = app.NewClient();
        var link = $"/if/flow/invitation-enrollment/?itoken={invitation}";
        var page = await client.GetPageAsync(link);
        Assert.NotNull(page.QuerySelector("#flow-card input[name=username]"));
        return (client, link, page);
    }

    private static List<KeyValuePair<string, string>> Answers(string username, IHtmlDocument page, string? name = null) =>
    [
        new("stage", page.QuerySelector("#flow-card input[name=stage]")!.GetAttribute("value")!),
        new("__RequestVerificationToken", TestClient.AntiforgeryToken(page)),
        new("username", username),
        new("name", name ?? $"Name of {username}"),
        new("email", $"{username}@example.com"),
        new("password", Password),
        new("password_repeat", Password),
    ];

    /// <summary>The answers as a browser's multipart form, with <paramref name="field"/> as the raw bytes given.</summary>
    private static MultipartFormDataContent Multipart(List<KeyValuePair<string, string>> fields, string field, byte[] raw)
    {
        var content = new MultipartFormDataContent();
        foreach (var (key, value) in fields)
        {
            if (key == field) continue;
            content.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(value)), key);
        }
        content.Add(new ByteArrayContent(raw), field);
        return content;
    }

    private Task<User?> UserAsync(string username) => app.DbAsync(db => db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == username));

    private Task<int> LargestEventAsync() => app.DbAsync(async db =>
        (await db.Events.AsNoTracking().Select(e => e.Context).ToListAsync()).Select(c => c.ToJsonString().Length).DefaultIfEmpty(0).Max());
}
