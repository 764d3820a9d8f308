using System.Security.Cryptography;
using System.Text;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Identity;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Account.InitialSetup;

internal sealed class InitialSetupHandler(AppDbContext db, InitialSetupLink setup, IServiceProvider services, AuditTrail audit)
    : IQueryHandler<InitialSetup.Query, bool>,
      ICommandHandler<InitialSetup.Command, IReadOnlyList<(string Field, string Message)>>
{
    public async ValueTask<bool> Handle(InitialSetup.Query query, CancellationToken ct) =>
        TokenMatches(query.Token) && !await Bootstrap.AnySuperuserAsync(db);

    public async ValueTask<IReadOnlyList<(string Field, string Message)>> Handle(InitialSetup.Command command, CancellationToken ct)
    {
        // A serialization failure of the loser of a race (PostgreSQL) is transient: it runs again and finds the admin.
        return await db.RetryingAsync<IReadOnlyList<(string Field, string Message)>>(async _ =>
        {
            // Serialisable so that two set-up submissions racing each other cannot both create an admin.
            await using var tx = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct);
            if (!TokenMatches(command.Token) || await Bootstrap.AnySuperuserAsync(db))
                return [("", "This set-up link is no longer valid: an administrator already exists, or the link expired.")];
            if (await db.Users.AnyAsync(u => u.UserName == Bootstrap.AdminUsername, ct))
                return [("", "A user named akadmin exists but is not an administrator; add it to an admin group instead.")];

            var result = await Bootstrap.CreateAdminAsync(services, command.Email, command.Password);
            if (!result.Succeeded)
                return result.Errors.Select(e => ("Input.Password", e.Description)).ToList();
            audit.Record("setup_completed", new() { ["username"] = Bootstrap.AdminUsername });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return [];
        }, ct);
    }

    /// <summary>The token this server logged, within the link's lifetime.</summary>
    private bool TokenMatches(string? token) =>
        token is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(setup.Token))
        && !setup.IsExpired;
}
