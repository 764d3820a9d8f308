using System.Security.Cryptography.X509Certificates;
using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.DataProtection;

namespace Enrollment.Infrastructure.Identity;

/// <summary>
/// Where the keys that sign cookies, antiforgery tokens and plan cookies live. On PostgreSQL and SQL Server they are
/// rows of the shared database, so every instance of a cluster (each with its own data directory) reads and writes
/// the same key ring; on SQLite, a one-machine engine, they stay files in <c>DataDirectory/keys</c>.
/// </summary>
public static class DataProtectionExtensions
{
    public static IServiceCollection AddEnrollmentDataProtection(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        var builder = services.AddDataProtection().SetApplicationName("enrollment");
        switch (DatabaseSettings.From(configuration, dataDirectory).Provider)
        {
            case DatabaseProvider.Postgres:
                builder.PersistKeysToDbContext<PostgresAppDbContext>();
                break;
            case DatabaseProvider.SqlServer:
                builder.PersistKeysToDbContext<SqlServerAppDbContext>();
                break;
            default:
                // Keys on disk keep cookies and antiforgery tokens valid across restarts and across processes sharing the folder.
                builder.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));
                break;
        }
        // Without a certificate the key material is stored as plain XML: whoever can read the table (or the keys
        // folder) can forge session cookies. With one, each key is encrypted to it and only holders of the private
        // key (the instances) can use the ring.
        if (Certificate(configuration) is { } certificate) builder.ProtectKeysWithCertificate(certificate);
        return services;
    }

    private static X509Certificate2? Certificate(IConfiguration configuration)
    {
        var path = configuration["DataProtection:CertificatePath"];
        if (string.IsNullOrWhiteSpace(path)) return null;
        if (!File.Exists(path)) throw new InvalidOperationException($"DataProtection:CertificatePath \"{path}\" does not exist.");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration["DataProtection:CertificatePassword"],
                X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new InvalidOperationException($"DataProtection:CertificatePath \"{path}\" could not be read as a PKCS#12 (.pfx) file with DataProtection:CertificatePassword: {e.Message}", e);
        }
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"DataProtection:CertificatePath \"{path}\" has no private key; keys encrypted to it could not be read back.");
        return certificate;
    }
}
