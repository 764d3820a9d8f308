using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Kit;

/// <summary>
/// A hook into saving: when a save is about to delete or change the invitation named in <see cref="Target"/> (or its groups), another
/// scope deletes that invitation first, as the expiry job does when it runs at that moment. The save then finds no
/// row to delete or change. Used by <see cref="Hosts.WithConcurrentRemoval"/>.
/// </summary>
public sealed class ConcurrentRemoval : SaveChangesInterceptor
{
    private IServiceProvider? _services;
    /// <summary>The invitation to take away from under the next save that touches it; once.</summary>
    public Guid? Target;

    /// <summary>Registers one hook for the host, on whichever engine the tests run.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<ConcurrentRemoval>();
        services.ConfigureDbContext<SqliteAppDbContext>((sp, o) => o.AddInterceptors(sp.GetRequiredService<ConcurrentRemoval>().Using(sp)));
        services.ConfigureDbContext<PostgresAppDbContext>((sp, o) => o.AddInterceptors(sp.GetRequiredService<ConcurrentRemoval>().Using(sp)));
    }

    public ConcurrentRemoval Using(IServiceProvider services)
    {
        _services ??= services;
        return this;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        var tracker = eventData.Context!.ChangeTracker;
        // A write that changes only an invitation's groups touches its group rows, not its own.
        if (Target is { } id && (tracker.Entries<Invitation>().Any(e => e.Entity.Id == id && e.State is EntityState.Deleted or EntityState.Modified)
                                 || tracker.Entries<InvitationGroup>().Any(e => e.Entity.InvitationId == id && e.State is EntityState.Added or EntityState.Deleted)))
        {
            Target = null;
            await using var scope = _services!.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Invitations.Where(i => i.Id == id).ExecuteDeleteAsync(ct);
        }
        return result;
    }
}
