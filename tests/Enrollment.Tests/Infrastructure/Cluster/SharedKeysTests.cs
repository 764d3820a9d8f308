using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Infrastructure.Cluster;

/// <summary>
/// Data-protection keys on PostgreSQL live in the database: instances with different data directories accept each
/// other's session cookies and antiforgery tokens. With a certificate configured the stored keys are encrypted.
/// </summary>
public sealed class SharedKeysTests
{
    [SkippableFact]
    public async Task An_admin_signed_in_on_one_instance_is_signed_in_on_the_other_and_a_form_from_one_posts_to_the_other()
    {
        Skip.IfNot(TestDatabase.IsPostgres, TwoInstances.PostgresOnly);
        await using var cluster = TwoInstances.Start();
        var cookies = new CookieContainer();
        using var onA = TwoInstances.Browser(cookies, cluster.A);
        using var onB = TwoInstances.Browser(cookies, cluster.B);

        await onA.LoginAsync("akadmin", EnrollmentApp.AdminPassword);
        var admin = await onB.GetPageAsync("/if/admin/groups/");
        Assert.Contains("akadmin", admin.QuerySelector(".whoami")!.TextContent);

        // The form (and its antiforgery cookie) comes from A; B takes the POST.
        var form = await onA.GetPageAsync("/if/admin/groups/new/");
        var posted = await onB.Http.PostAsync("/if/admin/groups/new/", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Name"] = "made-across", ["Input.ParentId"] = "", ["Input.Attributes"] = "", ["Input.IsSuperuser"] = "false",
            ["__RequestVerificationToken"] = TestClient.AntiforgeryToken(form, "/if/admin/groups/new/", "/if/admin/groups/new/"),
        }));
        posted.AssertRedirect("/if/admin/groups/");
        Assert.True(await cluster.B.DbAsync(db => db.Groups.AnyAsync(g => g.Name == "made-across")));

        // The ring is in the database, and neither data directory holds a key.
        var keys = await cluster.A.DbAsync(db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml!).ToListAsync());
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.Contains("<masterKey", k)); // no certificate: stored as plain XML (docs/operations.md)
        foreach (var instance in new[] { cluster.A, cluster.B })
            Assert.False(Directory.Exists(Path.Combine(instance.DataDirectory, "keys")) && Directory.EnumerateFiles(Path.Combine(instance.DataDirectory, "keys")).Any());
    }

    [SkippableFact]
    public async Task With_a_certificate_the_keys_are_stored_encrypted_and_both_instances_still_read_them()
    {
        Skip.IfNot(TestDatabase.IsPostgres, TwoInstances.PostgresOnly);
        var pfx = Path.Combine(Path.GetTempPath(), "enrollment-tests", $"dp-{Guid.NewGuid():N}.pfx");
        Directory.CreateDirectory(Path.GetDirectoryName(pfx)!);
        await File.WriteAllBytesAsync(pfx, SelfSigned("Enrollment data protection", "pfx-secret"));
        try
        {
            await using var cluster = TwoInstances.Start(new Dictionary<string, string?>
            {
                ["DataProtection:CertificatePath"] = pfx,
                ["DataProtection:CertificatePassword"] = "pfx-secret",
            });
            var cookies = new CookieContainer();
            using var onA = TwoInstances.Browser(cookies, cluster.A);
            using var onB = TwoInstances.Browser(cookies, cluster.B);
            await onA.LoginAsync("akadmin", EnrollmentApp.AdminPassword);
            Assert.Contains("akadmin", (await onB.GetPageAsync("/if/admin/groups/")).QuerySelector(".whoami")!.TextContent);

            var keys = await cluster.A.DbAsync(db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml!).ToListAsync());
            Assert.NotEmpty(keys);
            Assert.All(keys, k =>
            {
                Assert.Contains("EncryptedData", k);
                Assert.DoesNotContain("<masterKey", k);
            });
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    /// <summary>On SQLite (one machine) the certificate protects the key files the same way.</summary>
    [SkippableFact]
    public async Task On_sqlite_the_keys_stay_files_in_the_data_directory_encrypted_with_the_certificate()
    {
        Skip.If(TestDatabase.IsPostgres, "SQLite keeps its keys in DataDirectory/keys; the PostgreSQL pass checks the database ring.");
        var pfx = Path.Combine(Path.GetTempPath(), "enrollment-tests", $"dp-{Guid.NewGuid():N}.pfx");
        Directory.CreateDirectory(Path.GetDirectoryName(pfx)!);
        await File.WriteAllBytesAsync(pfx, SelfSigned("Enrollment data protection", ""));
        try
        {
            await using var app = new Hosts.WithSettings(new Dictionary<string, string?> { ["DataProtection:CertificatePath"] = pfx });
            using var client = await app.AdminClientAsync();
            Assert.Contains("akadmin", (await client.GetPageAsync("/if/admin/groups/")).QuerySelector(".whoami")!.TextContent);
            var files = Directory.EnumerateFiles(Path.Combine(app.DataDirectory, "keys"), "*.xml").ToList();
            Assert.NotEmpty(files);
            Assert.All(files, f => Assert.Contains("EncryptedData", File.ReadAllText(f)));
            Assert.Equal(0, await app.DbAsync(db => db.DataProtectionKeys.CountAsync()));
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    [Theory]
    [InlineData("missing", "does not exist")]
    [InlineData("garbage", "could not be read as a PKCS#12")]
    public async Task A_certificate_path_that_is_not_a_readable_certificate_stops_the_start_with_the_reason(string kind, string reason)
    {
        var path = Path.Combine(Path.GetTempPath(), "enrollment-tests", $"dp-{Guid.NewGuid():N}.pfx");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (kind == "garbage") await File.WriteAllTextAsync(path, "not a certificate");
        try
        {
            await using var app = new Hosts.WithSettings(new Dictionary<string, string?> { ["DataProtection:CertificatePath"] = path });
            var error = Assert.ThrowsAny<Exception>(() => app.Server);
            var message = string.Join(" | ", Chain(error).Select(e => e.Message));
            Assert.Contains("DataProtection:CertificatePath", message);
            Assert.Contains(reason, message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException) yield return e;
    }

    private static byte[] SelfSigned(string name, string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return certificate.Export(X509ContentType.Pfx, password);
    }
}
