using Enrollment.Infrastructure.Email;
using Enrollment.Tests.Kit;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SmtpServer.Protocol;

namespace Enrollment.Tests.Infrastructure.Email;

/// <summary>Templates render inside the real app (Razor), and a file in the data directory replaces ours.</summary>
public sealed class EmailTemplatesTests(Hosts.WithCustomEmailTemplate app) : IClassFixture<Hosts.WithCustomEmailTemplate>
{
    private static readonly InvitationEmail Model = new("https://id.example.com/if/flow/enroll/?itoken=1", new DateTime(2030, 1, 2, 3, 4, 0, DateTimeKind.Utc),
        "id.example.com", "Ann <script>alert(1)</script> & Co", "Example & Co", "welcome");

    [Fact]
    public async Task The_invitation_template_has_html_and_text_with_link_expiry_and_inviter_encoded()
    {
        using var scope = app.Services.CreateScope();
        var rendered = await scope.ServiceProvider.GetRequiredService<EmailTemplates>().RenderAsync(EmailTemplates.Invitation, Model, default);
        Assert.Contains("href=\"https://id.example.com/if/flow/enroll/?itoken=1\"", rendered.Html);
        Assert.Contains("January 2030", rendered.Html); // in words: dates follow the language of the email
        Assert.Contains("Ann &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co", rendered.Html);
        Assert.DoesNotContain("<script>", rendered.Html);
        Assert.Contains("Ann <script>alert(1)</script> & Co has invited you", rendered.Text);
        Assert.Contains("https://id.example.com/if/flow/enroll/?itoken=1", rendered.Text);
        Assert.DoesNotContain("&amp;", rendered.Text);
    }

    [Fact]
    public async Task A_template_file_in_the_data_directory_is_used()
    {
        using var scope = app.Services.CreateScope();
        var templates = scope.ServiceProvider.GetRequiredService<EmailTemplates>();
        Assert.True(templates.Exists("email/custom.html"));
        var rendered = await templates.RenderAsync("email/custom.html", Model, default);
        Assert.Contains("<p>Custom for id.example.com: https://id.example.com/if/flow/enroll/?itoken=1</p>", rendered.Html);
    }

    /// <summary>
    /// Jobs render on several workers at once. Razor's view buffers are scoped services; taken from the root provider
    /// they were shared by concurrent renders, and about 1 in 1,000 invitations of a 10,000-recipient bulk send
    /// failed with "Index was out of range" in the buffer pool.
    /// </summary>
    [Fact]
    public async Task Many_renders_at_once_on_many_threads_all_succeed_with_their_own_content()
    {
        var templates = app.Services.GetRequiredService<EmailTemplates>();
        var failures = 0;
        var wrong = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 4_000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var url = $"https://id.example.com/if/flow/enroll/?itoken={i}";
            try
            {
                var rendered = await templates.RenderAsync(EmailTemplates.Invitation, Model with { Url = url }, ct);
                if (!rendered.Html.Contains($"href=\"{url}\"") || !rendered.Text.Contains(url)) Interlocked.Increment(ref wrong);
            }
            catch (Exception)
            {
                Interlocked.Increment(ref failures);
            }
        });
        Assert.Equal((0, 0), (failures, wrong));
    }

    [Theory]
    [InlineData("../appsettings.json")]
    [InlineData("email/../../Pages/Index.html")]
    [InlineData("/etc/passwd")]
    [InlineData("email/missing.html")]
    public void Unknown_or_escaping_template_names_do_not_exist(string name)
    {
        using var scope = app.Services.CreateScope();
        Assert.False(scope.ServiceProvider.GetRequiredService<EmailTemplates>().Exists(name));
    }
}
