using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Features.Invitations.WritePath;

/// <summary>
/// The application with a hook into saving: when a save is about to delete or change the invitation named in
/// <see cref="RemoveBeforeSaving"/>, another scope deletes that invitation first, as the expiry job does when it runs at
/// that moment. The save then finds no row to delete or change.
/// </summary>
public sealed class ConcurrentRemovalApp : EnrollmentApp
{
    private readonly ConcurrentRemoval _removal = new();

    /// <summary>The invitation to take away from under the next save that touches it; once.</summary>
    public Guid? RemoveBeforeSaving { get => _removal.Target; set => _removal.Target = value; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(_removal);
            services.ConfigureDbContext<SqliteAppDbContext>((sp, o) => o.AddInterceptors(sp.GetRequiredService<ConcurrentRemoval>().Using(sp)));
            services.ConfigureDbContext<PostgresAppDbContext>((sp, o) => o.AddInterceptors(sp.GetRequiredService<ConcurrentRemoval>().Using(sp)));
        });
    }

    private sealed class ConcurrentRemoval : SaveChangesInterceptor
    {
        private IServiceProvider? _services;
        public Guid? Target;

        public ConcurrentRemoval Using(IServiceProvider services)
        {
            _services ??= services;
            return this;
        }

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
        {
            if (Target is { } id && eventData.Context!.ChangeTracker.Entries<Invitation>()
                    .Any(e => e.Entity.Id == id && e.State is EntityState.Deleted or EntityState.Modified))
            {
                Target = null;
                await using var scope = _services!.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AppDbContext>().Invitations.Where(i => i.Id == id).ExecuteDeleteAsync(ct);
            }
            return result;
        }
    }
}
